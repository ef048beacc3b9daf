/** Shared pieces of the plugin's data tables. */
import { useTranslation } from "react-i18next"

/**
 * Pagination texts of @medusajs/ui's DataTable in the admin's language, from Medusa's own
 * translations (namespace `translation`, keys `general.of|results|pages|prev|next`), so the
 * plugin's tables read exactly like Medusa's (ja: 結果 / 前へ / 次へ).
 */
export function usePaginationTranslations() {
  // Medusa's namespace, not the plugin's: these keys live in the admin's own translations.
  const { t: medusaT } = useTranslation()
  return {
    of: medusaT("general.of"),
    results: medusaT("general.results"),
    pages: medusaT("general.pages"),
    prev: medusaT("general.prev"),
    next: medusaT("general.next"),
  }
}
