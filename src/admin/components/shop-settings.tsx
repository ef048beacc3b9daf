/**
 * One shop's settings, in the order merchants know from GoQ's LINE Gift screen: API usage and
 * credentials, tokens (OAuth), what to import, automatic fetch, shipment export. One Save
 * (disabled while nothing changed; Enter in a text field saves too); problems (the plugin's own
 * checks — never the browser's bubbles — then the API's 400 answer) appear under their fields.
 * Each section is its own component (./shop-settings/); they share the form of useShopForm.
 */
import { Alert } from "@medusajs/ui"
import type { LineGiftShop } from "../lib/types"
import {
  ConnectionCheckSection,
  NeedsReauthorizationAlert,
} from "./connection-check"
import { ManualCredentialsSection } from "./manual-credentials"
import { credentialsChanged } from "./shop-form"
import { ApiSection } from "./shop-settings/api-section"
import { AutoFetchSection } from "./shop-settings/auto-fetch-section"
import { ExportSection } from "./shop-settings/export-section"
import { ImportSection } from "./shop-settings/import-section"
import { SaveBar } from "./shop-settings/save-bar"
import { TokenSection } from "./shop-settings/token-section"
import { useShopForm } from "./shop-settings/use-shop-form"

export const ShopSettings = ({ shop }: { shop: LineGiftShop }) => {
  const shopForm = useShopForm(shop)
  const { form, set, errors, general, saveOnEnter } = shopForm
  const section = { form, set, errors }

  return (
    <div
      className="flex flex-col gap-y-3"
      data-testid="line-gift-shop-settings"
    >
      {general.length ? (
        <Alert variant="error" dismissible data-testid="line-gift-form-errors">
          {general.map((g) => (
            <div key={g}>{g}</div>
          ))}
        </Alert>
      ) : null}
      <NeedsReauthorizationAlert shop={shop} />
      <div
        className="flex flex-col gap-y-3"
        onKeyDown={saveOnEnter}
        data-testid="line-gift-settings-form"
      >
        <ApiSection {...section} shop={shop} />
        <TokenSection
          shop={shop}
          credentialsDirty={credentialsChanged(form, shop)}
        />
      </div>
      {/* Own forms (paste credentials, connection check): Enter there must not save the settings. */}
      <ManualCredentialsSection shop={shop} />
      <ConnectionCheckSection shop={shop} />
      <div className="flex flex-col gap-y-3" onKeyDown={saveOnEnter}>
        <ImportSection {...section} shop={shop} />
        <AutoFetchSection {...section} shop={shop} />
        <ExportSection {...section} />
      </div>
      <SaveBar form={shopForm} />
    </div>
  )
}
