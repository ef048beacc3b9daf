import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  markLineGiftExportDueStep,
  type MarkExportDueInput,
} from "../steps/mark-export-due"

/** Id of markLineGiftExportDueWorkflow. */
export const markLineGiftExportDueWorkflowId = "mark-line-gift-export-due"

/**
 * A fulfilment event's shipment, recorded for the export sweep without the shop's export lock
 * (see markLineGiftExportDueStep): the event is never lost, whatever happens to its export.
 * @returns the mark (row id, `due_at`, `mark_seq`, whether the mark created the row)
 */
export const markLineGiftExportDueWorkflow = createWorkflow(
  markLineGiftExportDueWorkflowId,
  (input: MarkExportDueInput) => {
    return new WorkflowResponse(markLineGiftExportDueStep(input))
  }
)
