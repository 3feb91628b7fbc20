import { define } from "@/lib/define.ts";
import { BadRequest, Forbidden, ServiceUnavailable, TooManyRequests } from "@/lib/errors.ts";
import { clientIp, hit } from "@/lib/ratelimit.ts";
import { readBodyBytes, z } from "@/lib/validation.ts";
import { MAX_NOTIFICATION_BYTES, receiveNotification, UNVERIFIED_LIMIT } from "@/lib/payments/notification.ts";
import { defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

/**
 * `POST /api/payments/midtrans/notification` — Midtrans' HTTP notification
 * (set this URL as "Payment Notification URL" in the Midtrans dashboard).
 * No session: authenticity comes from `signature_key`. See
 * `lib/payments/notification.ts` for the answers.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const bytes = await readBodyBytes(ctx.req, MAX_NOTIFICATION_BYTES);
    const ip = clientIp(ctx);
    const { status, body } = await receiveNotification(bytes, {
      admitUnverified: async () => (await hit("payment_notification_unverified", ip, UNVERIFIED_LIMIT)).ok,
    });
    // Errors as the app's translated error body (the record is already stored).
    if (status === 400) throw new BadRequest("bad_notification", "pay.error.bad_notification");
    if (status === 403) throw new Forbidden("invalid_signature", "pay.error.invalid_signature");
    if (status === 429) throw new TooManyRequests(UNVERIFIED_LIMIT.windowSec);
    if (status === 503) {
      throw new ServiceUnavailable(30, "payment_provider_unavailable", "pay.error.provider_unavailable");
    }
    return Response.json(body, { status });
  },
});

const notificationBody = z.looseObject({
  order_id: z.string(),
  status_code: z.string().describe('e.g. "200", "201", "202", "407"'),
  gross_amount: z.string().describe('Two decimals, e.g. "150000.00"'),
  signature_key: z.string().describe("hex SHA-512 of order_id + status_code + gross_amount + server key"),
  transaction_status: z.string().optional(),
  fraud_status: z.string().optional(),
  payment_type: z.string().optional(),
  transaction_id: z.string().optional(),
  transaction_time: z.string().optional(),
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["payments"],
    summary: "Midtrans HTTP notification (signature-verified, confirmed with the status API, applied once)",
    body: notificationBody,
    responses: {
      200: {
        description: "Received; `result` says what happened (applied, unchanged, not_forward, unknown_order, …)",
        schema: z.object({ ok: z.literal(true), result: z.string() }),
      },
      400: "`bad_notification` (not JSON, a required field missing)",
      403: "`invalid_signature` (nothing else happens)",
      413: "`payload_too_large` (over 16 KiB)",
      429: tooManyRequests("`rate_limited`: over 60 unverified notifications a minute from one address (not stored)"),
      503: "`payment_provider_unavailable` (status API unreachable, or not applied): Midtrans retries",
    },
  },
});
