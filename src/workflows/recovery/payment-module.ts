/**
 * The payment module as crash recovery uses it. Medusa's public `IPaymentModuleService` does
 * not declare some of what the module service has (the generated `deletePayments`,
 * `deleteCaptures` and `deletePaymentSessions`, the `payment_collection_id` filter of payments and sessions, Date
 * values in `created_at` filters); this view declares exactly the calls recovery makes.
 */
import type {
  CaptureDTO,
  PaymentCollectionDTO,
  PaymentDTO,
  PaymentSessionDTO,
} from "@medusajs/framework/types"

/** The payment module methods recovery calls (resolve it with Modules.PAYMENT). */
export type RecoveryPaymentModule = {
  listPaymentCollections(
    filters: { id: string[] } | { created_at: { $gte: Date } },
    config: { select: string[]; take?: null }
  ): Promise<PaymentCollectionDTO[]>
  listPayments(
    filters: { payment_collection_id: string | string[] },
    config: { relations: string[] }
  ): Promise<PaymentDTO[]>
  deletePayments(ids: string[]): Promise<void>
  deleteCaptures(ids: string[]): Promise<void>
  listCaptures(
    filters: { id: string[] },
    config: { relations: string[] }
  ): Promise<CaptureDTO[]>
  deletePaymentCollections(ids: string[]): Promise<void>
  listPaymentSessions(
    filters: { payment_collection_id: string | string[] },
    config: { select: string[] }
  ): Promise<PaymentSessionDTO[]>
  deletePaymentSessions(ids: string[]): Promise<void>
  updatePaymentCollections(
    id: string,
    data: {
      status: string
      authorized_amount: number
      captured_amount: number
      completed_at: Date | null
    }
  ): Promise<PaymentCollectionDTO>
}
