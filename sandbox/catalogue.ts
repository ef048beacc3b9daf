/**
 * The demo catalogue, shared by the sandbox (which sells these on "LINE Gift") and the demo
 * seed (which creates the same SKUs as Medusa products). Prices are JPY, tax included.
 *
 * `sku` is what LINE Gift sends as `variation.code` (or `item.code` when an item has no
 * variations); the import matches Medusa variants by SKU.
 */
export type CatalogueVariation = {
  /** LINE Gift variation id (numeric string). */
  id: string
  /** Merchant SKU = LINE Gift `variation.code`. */
  sku: string
  /** Variation name on LINE Gift, e.g. "大 (12個入)". */
  name: string
  /** JPY, tax included, shipping included. */
  price: number
  /** Medusa: whether stock is managed for this variant. */
  manage_inventory: boolean
}

export type CatalogueItem = {
  /** LINE Gift item id (numeric string). */
  id: string
  /** Merchant product code = LINE Gift `item.code`; the SKU when there are no variations. */
  code: string
  name: string
  /** JPY, used when the item has no variations. */
  price: number
  manage_inventory: boolean
  variations: CatalogueVariation[]
  /** true: Medusa's demo catalogue does NOT have it (exercises the unknown-SKU path). */
  missing_from_medusa?: boolean
}

export const CATALOGUE: CatalogueItem[] = [
  {
    id: "300101",
    code: "LG-SWEETS-01",
    name: "抹茶バウムクーヘン",
    price: 2980,
    manage_inventory: true,
    variations: [
      {
        id: "900111",
        sku: "LG-SWEETS-01-S",
        name: "小 (6個入)",
        price: 2980,
        manage_inventory: true,
      },
      {
        id: "900112",
        sku: "LG-SWEETS-01-L",
        name: "大 (12個入)",
        price: 4980,
        manage_inventory: true,
      },
    ],
  },
  {
    id: "300102",
    code: "LG-COFFEE-02",
    name: "ドリップコーヒー ギフトセット",
    price: 3240,
    manage_inventory: true,
    variations: [],
  },
  {
    id: "300103",
    code: "LG-TOWEL-03",
    name: "今治タオル ギフトセット",
    price: 3850,
    manage_inventory: true,
    variations: [
      {
        id: "900131",
        sku: "LG-TOWEL-03-WH",
        name: "ホワイト",
        price: 3850,
        manage_inventory: true,
      },
      {
        id: "900132",
        sku: "LG-TOWEL-03-BL",
        name: "ブルー",
        price: 3850,
        manage_inventory: true,
      },
      {
        id: "900133",
        sku: "LG-TOWEL-03-PK",
        name: "ピンク",
        price: 3850,
        manage_inventory: true,
      },
    ],
  },
  {
    id: "300104",
    code: "LG-SAKE-04",
    name: "純米吟醸 飲み比べセット",
    price: 5500,
    manage_inventory: false,
    variations: [
      {
        id: "900141",
        sku: "LG-SAKE-04-3",
        name: "3本セット",
        price: 5500,
        manage_inventory: false,
      },
      {
        id: "900142",
        sku: "LG-SAKE-04-5",
        name: "5本セット",
        price: 8800,
        manage_inventory: false,
      },
    ],
  },
  {
    id: "300105",
    code: "LG-FLOWER-05",
    name: "プリザーブドフラワー ボックス",
    price: 4400,
    manage_inventory: false,
    variations: [],
  },
  {
    id: "300199",
    code: "LG-OLD-99",
    name: "季節限定 栗きんとん (販売終了)",
    price: 3300,
    manage_inventory: false,
    missing_from_medusa: true,
    variations: [
      {
        id: "900991",
        sku: "LG-OLD-99-A",
        name: "10個入",
        price: 3300,
        manage_inventory: false,
      },
    ],
  },
]
