/**
 * A titled list card of the plugin (sync history's failed orders and shipments needing
 * attention): heading and description in the table's toolbar, then the error, the empty text,
 * or the table with Medusa's own pagination words.
 */
import {
  Container,
  DataTable,
  Heading,
  Text,
  type useDataTable,
} from "@medusajs/ui"
import type { ReactNode } from "react"
import { errorMessage } from "../lib/errors"
import { usePaginationTranslations } from "../lib/data-table"

export const PagedTableCard = <T,>({
  table,
  testId,
  title,
  description,
  toolbarClassName = "flex flex-col gap-y-1 px-6 py-4",
  error,
  empty,
  emptyText,
}: {
  table: ReturnType<typeof useDataTable<T>>
  testId: string
  title: ReactNode
  description: ReactNode
  toolbarClassName?: string
  /** The list's read error (shown instead of the table); null/undefined = none. */
  error?: unknown
  /** The list read and has no entries. */
  empty: boolean
  emptyText: ReactNode
}) => {
  const paginationTranslations = usePaginationTranslations()
  return (
    <Container className="divide-y p-0" data-testid={testId}>
      <DataTable instance={table}>
        <DataTable.Toolbar className={toolbarClassName}>
          <Heading level="h2">{title}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {description}
          </Text>
        </DataTable.Toolbar>
        {error ? (
          <div className="px-6 py-4">
            <Text size="small" className="text-ui-fg-error">
              {errorMessage(error)}
            </Text>
          </div>
        ) : empty ? (
          <div className="px-6 py-6">
            <Text size="small" className="text-ui-fg-subtle">
              {emptyText}
            </Text>
          </div>
        ) : (
          <>
            <DataTable.Table />
            <DataTable.Pagination translations={paginationTranslations} />
          </>
        )}
      </DataTable>
    </Container>
  )
}
