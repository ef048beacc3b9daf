/**
 * The shop settings form's state, shared by its sections: the values (ShopFormState), their
 * problems (the plugin's own checks first, then the API's 400 answer), whether anything changed
 * since the last save, and Save / Discard / Enter-saves.
 */
import { toast } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { useUpdateLineGiftShop } from "../../hooks/shops"
import { parseApiError, type FieldErrors } from "../../lib/errors"
import type { LineGiftShop } from "../../lib/types"
import {
  SHOP_FORM_FIELDS,
  bodyFromForm,
  formFromShop,
  storedFormOf,
  validateShopForm,
  type ShopFormState,
} from "../shop-form"

/** Sets one field of the form (and clears that field's problem). */
export type SetField = <K extends keyof ShopFormState>(
  key: K,
  value: ShopFormState[K]
) => void

/** What every section that edits the form receives. */
export type SectionProps = {
  form: ShopFormState
  set: SetField
  errors: FieldErrors
}

/** The form of one shop: values, problems, dirty state and the actions on them. */
export type ShopForm = SectionProps & {
  /** Problems that name no field of the form (shown above it). */
  general: string[]
  /** Something differs from the last saved (or last read) shop. */
  dirty: boolean
  saving: boolean
  save: () => Promise<void>
  reset: () => void
  /** onKeyDown of a group of fields: Enter in a text field saves. */
  saveOnEnter: (e: React.KeyboardEvent<HTMLDivElement>) => void
}

/**
 * The form state of `shop`. A shop saved elsewhere (or re-read after OAuth) replaces an
 * untouched form; a form with changes is kept.
 */
export function useShopForm(shop: LineGiftShop): ShopForm {
  const { t } = useTranslation("line-gift")
  const [form, setForm] = useState<ShopFormState>(() => formFromShop(shop))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<string[]>([])
  const update = useUpdateLineGiftShop(shop.id)

  const saved = useMemo(() => JSON.stringify(storedFormOf(shop)), [shop])
  const [base, setBase] = useState(saved)
  const dirty = JSON.stringify(form) !== base
  useEffect(() => {
    if (!dirty) {
      setForm(formFromShop(shop))
      setBase(saved)
    }
    // Only a newly saved shop replaces the form: `dirty` and `shop` are read as they are then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved])

  const set: SetField = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }))
    if (errors[key]) setErrors(({ [key]: _, ...rest }) => rest)
  }

  const save = async () => {
    const local = validateShopForm(form)
    if (Object.keys(local).length) {
      setErrors(
        Object.fromEntries(Object.entries(local).map(([k, v]) => [k, t(v)]))
      )
      setGeneral([])
      toast.error(t("save.fixErrors"))
      return
    }
    try {
      const { shop: next } = await update.mutateAsync(bodyFromForm(form, shop))
      const fresh = formFromShop(next)
      setForm(fresh)
      setBase(JSON.stringify(fresh))
      setErrors({})
      setGeneral([])
      toast.success(t("save.saved"))
    } catch (e) {
      const parsed = parseApiError(e, SHOP_FORM_FIELDS)
      setErrors(parsed.fields)
      setGeneral(parsed.general)
      toast.error(t("save.failed"))
    }
  }

  /** Enter in a text field saves (not while an IME is composing Japanese text). */
  const saveOnEnter = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" || e.nativeEvent.isComposing || e.keyCode === 229)
      return
    const el = e.target
    if (
      !(el instanceof HTMLInputElement) ||
      ["checkbox", "radio", "button", "submit"].includes(el.type)
    )
      return
    e.preventDefault()
    if (dirty && !update.isPending) void save()
  }

  const reset = () => {
    setForm(formFromShop(shop))
    setErrors({})
    setGeneral([])
  }

  return {
    form,
    set,
    errors,
    general,
    dirty,
    saving: update.isPending,
    save,
    reset,
    saveOnEnter,
  }
}
