/**
 * The LINE Gift sandbox (a local stand-in server for tests, the demo and merchants without
 * credentials). `createSandbox()` → `listen()` → point the plugin's `baseUrl` at the URL.
 * See ./server for the HTTP surface and ./seed for the seeded data.
 */
export {
  createSandbox,
  SANDBOX_DEFAULT_CLIENT,
  type FaultTarget,
  type Sandbox,
  type SandboxCall,
  type SandboxFaults,
  type SandboxOptions,
  type SandboxOrder,
} from "./server"
export {
  DEFAULT_ORDER_COUNT,
  DEFAULT_SEED,
  FIRST_ORDER_ID,
  SANDBOX_CARRIERS,
  SANDBOX_ORDER_STATUSES,
  jstDate,
  mulberry32,
  seedOrders,
  type SandboxOrderStatus,
} from "./seed"
export {
  CATALOGUE,
  type CatalogueItem,
  type CatalogueVariation,
} from "./catalogue"
