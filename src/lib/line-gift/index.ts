/**
 * LINE Gift protocol layer: schemas (shapes), errors, endpoints (hosts/paths adapter) and
 * the HTTP client. The rest of the plugin imports LINE Gift knowledge only from here.
 */
export * from "./schemas"
export * from "./errors"
export * from "./endpoints"
export * from "./client"
