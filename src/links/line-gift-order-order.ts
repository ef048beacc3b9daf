import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import LineGiftModule from "../modules/line-gift"

/**
 * A LINE Gift order record ↔ the Medusa order it became (one to one).
 * Query: `query.graph({ entity: "line_gift_order", fields: ["order.*"] })` or
 * `entity: "order", fields: ["line_gift_order.*"]`.
 */
export default defineLink(
  LineGiftModule.linkable.lineGiftOrder,
  OrderModule.linkable.order
)
