/**
 * The plugin's admin translations, in its own i18n namespace ("line-gift"), merged by Medusa
 * into the admin's react-i18next resources. Components read them with
 * `useTranslation("line-gift")`; route labels use `translationNs: "line-gift"`. The admin
 * shows them in the language of the user's profile (English is the fallback).
 */
import en from "./json/en.json"
import ja from "./json/ja.json"

/** The namespace of every string of this plugin's admin. */
export const LINE_GIFT_I18N_NS = "line-gift"

export default {
  en: { [LINE_GIFT_I18N_NS]: en },
  ja: { [LINE_GIFT_I18N_NS]: ja },
}
