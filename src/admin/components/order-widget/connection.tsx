/** Order widget: says when the order's LINE Gift shop needs re-authorisation (shipment pushes stop). */
import { useLineGiftShop } from "../../hooks/shops"
import { NeedsReauthorizationAlert } from "../connection-check"

export const OrderShopConnection = ({
  shopId,
}: {
  shopId: string | undefined
}) => {
  const shop = useLineGiftShop(shopId)
  if (!shopId || shop.data?.shop?.connection_state !== "needs_reauthorization")
    return null
  return (
    <div className="px-6 py-3">
      <NeedsReauthorizationAlert shop={shop.data.shop} />
    </div>
  )
}
