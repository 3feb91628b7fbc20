/**
 * The payment list's query (`GET /api/payments`, `/client/payments`):
 * `status`, `from` / `to` local dates (YYYY-MM-DD in `TIME_ZONE`, inclusive,
 * years 2000–2100), `cursor`, `limit` (1–50) — parsed at the edge into a
 * {@link PaymentFilter}'s window in UTC instants.
 */
import { config } from "@/lib/config.ts";
import { ValidationError } from "@/lib/errors.ts";
import { localDateParam } from "@/lib/guestbook/time.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { paymentStatusSchema } from "./model.ts";
import type { PaymentFilter } from "./store.ts";

/** The query object (also the OpenAPI description of the parameters). */
export const paymentListQuery = z.object({
  status: paymentStatusSchema.optional().describe("Only payments in this state"),
  from: localDateParam.optional().describe("Created on or after this local date (YYYY-MM-DD, TIME_ZONE)"),
  to: localDateParam.optional().describe("Created on or before this local date (YYYY-MM-DD, TIME_ZONE)"),
  cursor: z.string().max(500).optional().describe("Cursor of the next page"),
  limit: z.coerce.number().int("field.invalid_number").min(1, "field.invalid_number").max(50, "field.invalid_number")
    .optional(),
});
export type PaymentListQuery = z.infer<typeof paymentListQuery>;

/** Start of a local date in `TIME_ZONE` as an ISO 8601 UTC instant. */
function startOfDayIso(date: string): string {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: config.timeZone }).toInstant().toString();
}

/**
 * Parses the query (empty values count as absent) into the filter's status,
 * window and paging; the caller adds whose payments.
 * @throws ValidationError bad values, or `to` before `from` (`pay.error.range`)
 */
export function parsePaymentQuery(
  url: URL,
): { query: PaymentListQuery; filter: Omit<PaymentFilter, "payerId" | "payeeId" | "all"> } {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  const query = parseInput(paymentListQuery, raw);
  if (query.from && query.to && query.to < query.from) throw new ValidationError({ to: "pay.error.range" });
  const next = query.to ? Temporal.PlainDate.from(query.to).add({ days: 1 }).toString() : null;
  return {
    query,
    filter: {
      status: query.status,
      fromIso: query.from ? startOfDayIso(query.from) : undefined,
      toIso: next ? startOfDayIso(next) : undefined,
      cursor: query.cursor ?? null,
      limit: query.limit ?? 20,
    },
  };
}
