/**
 * The payment list's query (`GET /api/payments`, `/client/payments`):
 * `status`, `from` / `to` local dates (YYYY-MM-DD in `TIME_ZONE`, inclusive)
 * or ISO 8601 instants (years 2000–2100), `cursor`, `limit` (1–50) — parsed at the edge into a
 * {@link PaymentFilter}'s window in UTC instants.
 */
import { config } from "@/lib/config.ts";
import { ValidationError } from "@/lib/errors.ts";
import { localDateParam } from "@/lib/guestbook/time.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { paymentStatusSchema } from "./model.ts";
import type { PaymentFilter } from "./store.ts";

/** The query object (also the OpenAPI description of the parameters). */
/** An ISO 8601 instant with an offset, years 2000–2100. */
const instantParam = z.iso.datetime({ offset: true, message: "field.invalid_date" }).refine((s) => {
  const y = new Date(s).getUTCFullYear();
  return y >= 2000 && y <= 2100;
}, "field.date_out_of_range");
const bound = z.union([localDateParam, instantParam], "field.invalid_date");

export const paymentListQuery = z.object({
  status: paymentStatusSchema.optional().describe("Only payments in this state"),
  from: bound.optional().describe(
    "Created at or after: a local date (YYYY-MM-DD, TIME_ZONE, from its start) or an ISO 8601 instant",
  ),
  to: bound.optional().describe(
    "Created at or before: a local date (YYYY-MM-DD, TIME_ZONE, to its end) or an ISO 8601 instant (exclusive)",
  ),
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
  const isDate = (s: string) => s.length === 10;
  const fromIso = query.from
    ? (isDate(query.from) ? startOfDayIso(query.from) : new Date(query.from).toISOString())
    : undefined;
  const toIso = query.to
    ? (isDate(query.to)
      ? startOfDayIso(Temporal.PlainDate.from(query.to).add({ days: 1 }).toString())
      : new Date(query.to).toISOString())
    : undefined;
  // A date `to` ends where its next day starts: equal bounds then mean `to` is before `from`.
  if (fromIso && toIso && (toIso < fromIso || (isDate(query.to!) && toIso <= fromIso))) {
    throw new ValidationError({ to: "pay.error.range" });
  }
  return {
    query,
    filter: {
      status: query.status,
      fromIso,
      toIso,
      cursor: query.cursor ?? null,
      limit: query.limit ?? 20,
    },
  };
}
