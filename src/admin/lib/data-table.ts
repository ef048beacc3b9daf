/** Shared pieces of the plugin's data tables. */
import { useTranslation } from "react-i18next"

/**
 * Pagination texts of @medusajs/ui's DataTable in the admin's language, from Medusa's own
 * translations (namespace `translation`, keys `general.of|results|pages|prev|next`), so the
 * plugin's tables read exactly like Medusa's (ja: 結果 / 前へ / 次へ).
 */
export function usePaginationTranslations() {
  const { t } = useTranslation()
  return {
    of: t("general.of"),
    results: t("general.results"),
    pages: t("general.pages"),
    prev: t("general.prev"),
    next: t("general.next"),
  }
}
