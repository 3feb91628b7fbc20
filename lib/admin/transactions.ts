/**
 * The admin's transactions: every payment filtered by status, method,
 * creation day (local, `config.timeZone`) and psychologist, one page at a
 * time, with totals over the whole filtered set and a CSV export.
 *
 * Reads the payments' own copies (`["payments_by_time", createdAt, orderId]`,
 * or `["payments_by_payee", payeeId, createdAt, orderId]` for one
 * psychologist: lib/payments/keys.ts) in large batches — a key range, never
 * one read per payment — and the due refunds (`["booking_refunds_due",
 * orderId]`, lib/booking/keys.ts) once per request. Rules in
 * docs/domain-rules.md "Admin: transactions and finance".
 */
import { getKv, type Page, scanPage } from "@/lib/db/kv.ts";
import { ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { localDateParam } from "@/lib/guestbook/time.ts";
import * as PK from "@/lib/payments/keys.ts";
import * as BK from "@/lib/booking/keys.ts";
import { psychologistsPrefix } from "@/lib/psychologists/keys.ts";
import { type Payment, paymentStatusSchema } from "@/lib/payments/model.ts";
import { getPayment } from "@/lib/payments/store.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { nextLocalDay, startOfLocalDay } from "./time.ts";

/** Query of the transactions list (`GET /api/admin/transactions`, `/admin/transactions`). */
export const transactionsQuerySchema = z.object({
  status: paymentStatusSchema.optional().describe("Payment status"),
  method: z.string().max(30, "field.too_long").regex(/^[a-z_]+$/, "field.invalid")
    .optional().describe("Midtrans payment_type (bank_transfer, echannel, gopay, qris, credit_card…)"),
  from: localDateParam.optional().describe("First creation day (local YYYY-MM-DD, TIME_ZONE), included"),
  to: localDateParam.optional().describe("Last creation day (local YYYY-MM-DD, TIME_ZONE), included"),
  psychologistId: z.string().max(40, "field.too_long").regex(/^[0-9A-Za-z_-]+$/, "field.invalid")
    .optional().describe("The psychologist's user id (the payment's payee)"),
  refund: z.enum(["due"], "field.invalid_choice").optional().describe(
    "`due`: only payments whose booking has a refund due",
  ),
  format: z.enum(["json", "csv"], "field.invalid_choice").optional().describe(
    "`csv`: every match as a text/csv download (UTF-8 with BOM, request language) instead of one page",
  ),
  cursor: z.string().max(1000, "field.too_long").optional(),
  limit: z.coerce.number("field.invalid_number").int("field.invalid_number")
    .min(1, "field.invalid_number").max(100, "field.invalid_number").optional().describe("1–100, default 50"),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "admin.tx.error.range" });
export type TransactionsQuery = z.output<typeof transactionsQuerySchema>;

/** The refund due on a payment's booking (from `["booking_refunds_due", orderId]`). */
export const refundDueSchema = z.object({
  bookingId: z.string(),
  amountIdr: z.number().int(),
  dueAt: z.string(),
});

/** One row of the list: the payment, its due refund, and names from its booking. */
export const transactionRowSchema = z.object({
  orderId: z.string(),
  status: paymentStatusSchema,
  method: z.string().nullable(),
  bank: z.string().nullable(),
  grossAmountIdr: z.number().int(),
  commissionIdr: z.number().int(),
  payoutIdr: z.number().int(),
  payerId: z.string(),
  payeeId: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  bookingId: z.string().nullable(),
  clientName: z.string().nullable(),
  psychologistName: z.string().nullable(),
  refundDue: refundDueSchema.nullable(),
});
export type TransactionRow = z.infer<typeof transactionRowSchema>;

/**
 * Totals over every payment matching the filters (all pages), whole rupiah:
 * `grossIdr` = money received (paid + refunded payments), `commissionIdr` /
 * `payoutIdr` = the split of the payments still paid, `refundedIdr` = gross of
 * refunded payments (so `grossIdr = commissionIdr + payoutIdr + refundedIdr`),
 * `refundsDueIdr` / `refundsDueCount` = refunds owed on paid payments (still
 * counted in commission and payout until they are refunded).
 */
export const transactionTotalsSchema = z.object({
  count: z.number().int(),
  paidCount: z.number().int(),
  refundedCount: z.number().int(),
  grossIdr: z.number().int(),
  commissionIdr: z.number().int(),
  payoutIdr: z.number().int(),
  refundedIdr: z.number().int(),
  refundsDueIdr: z.number().int(),
  refundsDueCount: z.number().int(),
});
export type TransactionTotals = z.infer<typeof transactionTotalsSchema>;

/** The answer of `GET /api/admin/transactions`. */
export const transactionsPageSchema = z.object({
  items: z.array(transactionRowSchema),
  cursor: z.string().nullable(),
  totals: transactionTotalsSchema,
});

/** Default and largest page size. */
export const TX_PAGE_DEFAULT = 50;

/** Validates raw query values (empty strings = not given) into a {@link TransactionsQuery}. */
export function parseTransactionsQuery(params: URLSearchParams): TransactionsQuery {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (v !== "") raw[k] = v;
  return parseInput(transactionsQuerySchema, raw);
}

/** The key selector of a query: payee index or time index, creation window as local days. */
function selectorOf(q: TransactionsQuery): Deno.KvListSelector {
  const prefix = q.psychologistId ? PK.byPayeePrefix(q.psychologistId) : PK.byTimePrefix;
  return {
    start: [...prefix, q.from ? startOfLocalDay(q.from) : ""],
    end: [...prefix, q.to ? startOfLocalDay(nextLocalDay(q.to)) : "\uffff"],
  };
}

/** Every due refund, by order id (one key range; refunds wait for an admin, so the set stays small). */
export async function refundsDueByOrder(): Promise<Map<string, BK.RefundDueEntry>> {
  const kv = await getKv();
  const out = new Map<string, BK.RefundDueEntry>();
  for await (const e of kv.list<BK.RefundDueEntry>({ prefix: BK.REFUNDS_DUE_PREFIX }, { batchSize: 1000 })) {
    out.set(String(e.key[1]), e.value);
  }
  return out;
}

function matches(p: Payment, q: TransactionsQuery, due: Map<string, BK.RefundDueEntry>): boolean {
  if (q.status && p.status !== q.status) return false;
  if (q.method && p.method !== q.method) return false;
  if (q.refund === "due" && !due.has(p.orderId)) return false;
  return true;
}

function emptyTotals(): TransactionTotals {
  return {
    count: 0,
    paidCount: 0,
    refundedCount: 0,
    grossIdr: 0,
    commissionIdr: 0,
    payoutIdr: 0,
    refundedIdr: 0,
    refundsDueIdr: 0,
    refundsDueCount: 0,
  };
}

/** Adds one payment to `t` (see {@link transactionTotalsSchema} for what counts where). */
export function addToTotals(t: TransactionTotals, p: Payment, due: BK.RefundDueEntry | undefined): void {
  t.count++;
  if (p.status === "paid") {
    t.paidCount++;
    t.grossIdr += p.grossAmountIdr;
    t.commissionIdr += p.commissionIdr;
    t.payoutIdr += p.payoutIdr;
    if (due) {
      t.refundsDueCount++;
      t.refundsDueIdr += due.amountIdr;
    }
  } else if (p.status === "refunded") {
    t.refundedCount++;
    t.grossIdr += p.grossAmountIdr;
    t.refundedIdr += p.grossAmountIdr;
  }
}

/** Visits every payment matching `q` (newest first), in batches of 1000. */
async function eachMatching(
  q: TransactionsQuery,
  due: Map<string, BK.RefundDueEntry>,
  visit: (p: Payment) => void,
): Promise<void> {
  const kv = await getKv();
  for await (const e of kv.list<Payment>(selectorOf(q), { reverse: true, batchSize: 1000 })) {
    if (matches(e.value, q, due)) visit(e.value);
  }
}

/** Totals over every payment matching `q` (the cursor and limit are ignored). */
export async function transactionTotals(
  q: TransactionsQuery,
  due?: Map<string, BK.RefundDueEntry>,
): Promise<TransactionTotals> {
  const d = due ?? await refundsDueByOrder();
  const t = emptyTotals();
  await eachMatching(q, d, (p) => addToTotals(t, p, d.get(p.orderId)));
  return t;
}

/** The bookings of `ids` (getMany in chunks of 10, KV's limit), by id. */
async function bookingsById(ids: string[]): Promise<Map<string, Booking>> {
  const kv = await getKv();
  const out = new Map<string, Booking>();
  for (let i = 0; i < ids.length; i += 10) {
    const entries = await kv.getMany<Booking[]>(ids.slice(i, i + 10).map((id) => BK.bookingKey(id)));
    for (const e of entries) if (e.value) out.set(e.value.id, e.value);
  }
  return out;
}

function rowOf(p: Payment, b: Booking | undefined, due: BK.RefundDueEntry | undefined): TransactionRow {
  return {
    orderId: p.orderId,
    status: p.status,
    method: p.method,
    bank: p.bank,
    grossAmountIdr: p.grossAmountIdr,
    commissionIdr: p.commissionIdr,
    payoutIdr: p.payoutIdr,
    payerId: p.payerId,
    payeeId: p.payeeId,
    description: p.description ?? null,
    createdAt: p.createdAt,
    paidAt: p.paidAt,
    refundedAt: p.refundedAt,
    bookingId: p.purpose.kind === "booking" ? p.purpose.id : null,
    clientName: b?.clientName ?? null,
    psychologistName: b?.psychologistName ?? null,
    refundDue: due ? { bookingId: due.bookingId, amountIdr: due.amountIdr, dueAt: due.dueAt } : null,
  };
}

/**
 * One page of transactions, newest first, and the totals over every match.
 * @param q validated query ({@link parseTransactionsQuery}); `limit` default 50
 * @throws BadRequest `invalid_cursor`
 */
export async function listTransactions(
  q: TransactionsQuery,
): Promise<Page<TransactionRow> & { totals: TransactionTotals }> {
  const kv = await getKv();
  const due = await refundsDueByOrder();
  const page = await scanPage<Payment, Payment>(kv, selectorOf(q), (p) => matches(p, q, due) ? p : null, {
    cursor: q.cursor,
    limit: q.limit ?? TX_PAGE_DEFAULT,
  });
  const bookings = await bookingsById(
    page.items.filter((p) => p.purpose.kind === "booking").map((p) => p.purpose.id),
  );
  const totals = await transactionTotals(q, due);
  return {
    items: page.items.map((p) => rowOf(p, bookings.get(p.purpose.id), due.get(p.orderId))),
    cursor: page.cursor,
    totals,
  };
}

/** Most rows a CSV export holds; a wider filter is refused (narrow the dates). */
export const TX_CSV_MAX_ROWS = 20_000;

/**
 * Every matching transaction for the CSV export, newest first, with names
 * from the bookings (at most {@link TX_CSV_MAX_ROWS}).
 * @throws ValidationError `from: admin.tx.error.csv_too_many` past the cap
 */
export async function exportTransactions(q: TransactionsQuery): Promise<TransactionRow[]> {
  const due = await refundsDueByOrder();
  const list: Payment[] = [];
  let over = false;
  await eachMatching(q, due, (p) => {
    if (list.length >= TX_CSV_MAX_ROWS) over = true;
    else list.push(p);
  });
  if (over) {
    throw new ValidationError({ from: "admin.tx.error.csv_too_many" }, "error.validation", "validation_failed", {
      from: { max: TX_CSV_MAX_ROWS },
    });
  }
  const bookings = await bookingsById(list.filter((p) => p.purpose.kind === "booking").map((p) => p.purpose.id));
  return list.map((p) => rowOf(p, bookings.get(p.purpose.id), due.get(p.orderId)));
}

/** One transaction by order id, with its booking's names and due refund, or null. */
export async function getTransaction(orderId: string): Promise<TransactionRow | null> {
  const p = await getPayment(orderId);
  if (!p) return null;
  const kv = await getKv();
  const [b, due] = await kv.getMany<[Booking, BK.RefundDueEntry]>([
    BK.bookingKey(p.purpose.kind === "booking" ? p.purpose.id : "-"),
    BK.refundDueKey(p.orderId),
  ]);
  return rowOf(p, b.value ?? undefined, due.value ?? undefined);
}

/** Most psychologists offered in the filter's list. */
export const PSYCHOLOGIST_OPTIONS_MAX = 1000;

/** Psychologists for the filter (id = user id, name), by name; at most {@link PSYCHOLOGIST_OPTIONS_MAX}. */
export async function psychologistOptions(): Promise<{ id: string; name: string }[]> {
  const kv = await getKv();
  const out: { id: string; name: string }[] = [];
  for await (
    const e of kv.list<{ id: string; name: string }>({ prefix: psychologistsPrefix() }, {
      limit: PSYCHOLOGIST_OPTIONS_MAX,
      batchSize: 500,
    })
  ) out.push({ id: e.value.id, name: e.value.name });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
