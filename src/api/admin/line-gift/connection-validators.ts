/** zod validators of the connection routes (connection check, manual credentials). */
import { z } from "@medusajs/framework/zod"
import { unwrapPasted } from "../../../lib/pasted-credential"
import { pastedCredential } from "./pasted-credential-schema"

/** Body of POST /admin/line-gift/shops/:id/connection-check. */
export const AdminLineGiftConnectionCheck = z
  .object({
    /** LINE Gift's own shop id (for the items call); remembered on the shop. */
    line_gift_shop_id: z
      .string()
      // Pasted: invisible characters, outer spaces and quotes removed first.
      .transform(unwrapPasted)
      .pipe(
        z
          .string()
          .regex(
            /^[A-Za-z0-9_-]{1,64}$/,
            "must be LINE Gift's shop id (letters, digits)"
          )
      )
      .optional(),
    /** Also probe the shipment call with an order id that does not exist. */
    probe_shipment: z.boolean().optional(),
  })
  .strict()
/** The validated (parsed) value of `AdminLineGiftConnectionCheck`. */
export type AdminLineGiftConnectionCheckType = z.infer<
  typeof AdminLineGiftConnectionCheck
>

/** Body of POST /admin/line-gift/shops/:id/credentials: exactly one of code / refresh token. */
export const AdminLineGiftManualCredentials = z
  .object({
    /** A code, or the whole redirect address / query string it came in (its `code` is taken). */
    authorization_code: pastedCredential("authorization_code", {
      max: 2000,
      required: true,
    }).optional(),
    refresh_token: pastedCredential("refresh_token", {
      max: 2000,
      required: true,
    }).optional(),
    /** The redirect URI used to obtain the code (default: the plugin's callback URL). */
    redirect_uri: z.string().trim().url().max(2000).optional(),
  })
  .strict()
  .refine((v) => !!v.authorization_code !== !!v.refresh_token, {
    message: "authorization_code / refresh_token: paste exactly one of them",
  })
/** The validated (parsed) value of `AdminLineGiftManualCredentials`. */
export type AdminLineGiftManualCredentialsType = z.infer<
  typeof AdminLineGiftManualCredentials
>
