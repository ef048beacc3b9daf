/** Small layout pieces shared by the plugin's pages, in the admin's own visual language. */
import { Heading, Hint, Label, Text, clx } from "@medusajs/ui"
import type { CSSProperties, ReactNode } from "react"

/**
 * Stacking of the plugin's drawers (content and overlay): above the settings page's sticky save
 * bar (z-index 10). @medusajs/ui's Drawer sets no z-index, so without it the bar covers the
 * drawer's footer and list.
 */
export const DRAWER_LAYER: CSSProperties = { zIndex: 50 }

/** Header row of a section Container: title, optional description, optional actions. */
export const SectionHeader = ({
  title,
  description,
  actions,
  level = "h2",
}: {
  title: ReactNode
  description?: ReactNode
  actions?: ReactNode
  level?: "h1" | "h2"
}) => (
  <div className="flex items-center justify-between gap-x-4 px-6 py-4">
    <div className="flex flex-col gap-y-1">
      <Heading level={level}>{title}</Heading>
      {description ? (
        <Text size="small" className="text-ui-fg-subtle">
          {description}
        </Text>
      ) : null}
    </div>
    {actions ? (
      <div className="flex shrink-0 items-center gap-x-2">{actions}</div>
    ) : null}
  </div>
)

/**
 * One labelled setting: label (and hint) on the left, control on the right on wide screens,
 * stacked on narrow ones — like the admin's own settings forms. `error` is shown under it.
 */
export const Field = ({
  label,
  htmlFor,
  hint,
  error,
  children,
  testId,
  className,
}: {
  label: ReactNode
  htmlFor?: string
  hint?: ReactNode
  error?: string
  children: ReactNode
  testId?: string
  className?: string
}) => (
  <div
    className={clx(
      "grid grid-cols-1 gap-x-6 gap-y-2 px-6 py-4 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]",
      className
    )}
    data-field={testId}
  >
    <div className="flex flex-col gap-y-1">
      <Label size="small" weight="plus" htmlFor={htmlFor}>
        {label}
      </Label>
      {hint ? <Hint>{hint}</Hint> : null}
    </div>
    <div className="flex min-w-0 flex-col gap-y-2">
      {children}
      {error ? (
        <Hint variant="error" data-error-for={testId}>
          {error}
        </Hint>
      ) : null}
    </div>
  </div>
)

/** A read-only label/value row. */
export const InfoRow = ({
  label,
  value,
  testId,
}: {
  label: ReactNode
  value: ReactNode
  testId?: string
}) => (
  <div
    className="text-ui-fg-subtle grid grid-cols-1 items-start gap-x-6 gap-y-1 px-6 py-3 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]"
    data-testid={testId}
  >
    <Text size="small" weight="plus" leading="compact">
      {label}
    </Text>
    <div className="text-ui-fg-base min-w-0 break-words">
      {typeof value === "string" || typeof value === "number" ? (
        <Text size="small" leading="compact">
          {value}
        </Text>
      ) : (
        value
      )}
    </div>
  </div>
)
