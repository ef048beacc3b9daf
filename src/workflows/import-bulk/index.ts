export * from "./workflows/import-line-gift-orders-bulk"
export * from "./run-page"
