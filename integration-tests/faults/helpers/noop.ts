/** Does nothing: `medusa exec` of it shows whether the app starts (crash-recovery.spec.ts). */
export default async function noop() {
  process.stdout.write("BOOTED\n")
}
