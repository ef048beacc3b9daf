import type {
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import type { z } from "@medusajs/framework/zod"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Validates `req.query` with a plain zod schema into `req.validatedQuery` (Medusa's
 * validateAndTransformQuery also does field selection, which these routes do not use).
 * Bad input → MedusaError INVALID_DATA "field: message; …".
 */
export function validateQuery(schema: z.ZodType) {
  return (
    req: MedusaRequest,
    _res: MedusaResponse,
    next: MedusaNextFunction
  ) => {
    const result = schema.safeParse(req.query)
    if (!result.success) {
      const message = result.error.issues
        .map((i) => `${i.path.join(".") || "query"}: ${i.message}`)
        .join("; ")
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, message))
    }
    // Each route reads it as the z.infer of its own schema (MedusaRequest's second parameter).
    req.validatedQuery = result.data as MedusaRequest["validatedQuery"]
    next()
  }
}
