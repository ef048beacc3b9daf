/**
 * Query-key factories of the plugin's react-query caches, one per resource, so that a
 * mutation can invalidate exactly what it changed (e.g. `lineGiftKeys.shops.all`).
 */
const root = ["line-gift"] as const

const resource = <T extends string>(name: T) => {
  const all = [...root, name] as const
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: (query: Record<string, unknown> = {}) =>
      [...all, "list", query] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: string) => [...all, "detail", id] as const,
  }
}

export const lineGiftKeys = {
  all: root,
  shops: resource("shops"),
  runs: resource("runs"),
  orders: resource("orders"),
  exports: resource("exports"),
  carriers: resource("carriers"),
  unmatchedSkus: resource("unmatched-skus"),
  skuMappings: resource("sku-mappings"),
  medusa: resource("medusa"),
}
