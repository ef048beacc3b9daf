import type { BenchContext } from "./run"

export async function benchRefetch(_ctx: BenchContext, _n: number): Promise<any> {
  throw new Error("not implemented yet")
}
