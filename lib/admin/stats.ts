/**
 * Platform statistics for the admin: accounts per role, users active in the
 * last 30 days (`./activity.ts`), bookings per status, guest visits of the
 * last 30 local days, and stored emotion screenings (lib/screening/store.ts
 * `countScreenings`). Each figure is one key range (no per-record reads).
 * Rules in docs/domain-rules.md "Admin: transactions and finance".
 */
import { getKv } from "@/lib/db/kv.ts";
import { z } from "@/lib/validation.ts";
import { countUsersByRole } from "@/lib/auth/admin.ts";
import { roleSchema } from "@/lib/auth/schemas.ts";
import { type Booking, BOOKING_STATUSES, type BookingStatus, bookingStatusSchema } from "@/lib/booking/model.ts";
import * as BK from "@/lib/booking/keys.ts";
import { byDayPrefix } from "@/lib/guestbook/keys.ts";
import type { Appointment } from "@/lib/guestbook/model.ts";
import { addDays } from "@/lib/guestbook/time.ts";
import { countScreenings } from "@/lib/screening/store.ts";
import { ACTIVE_DAYS, countActiveUsers } from "./activity.ts";
import { localDateOfMs } from "./time.ts";

/** The answer of `GET /api/admin/stats`. */
export const platformStatsSchema = z.object({
  generatedAt: z.string(),
  users: z.object({
    total: z.number().int(),
    byRole: z.record(roleSchema, z.number().int()),
  }),
  activeUsers30d: z.number().int().describe("Users who signed in or used a session on one of the last 30 UTC days"),
  bookings: z.object({
    total: z.number().int(),
    byStatus: z.record(bookingStatusSchema, z.number().int()),
    refundsDue: z.number().int(),
  }),
  screenings: z.number().int().describe("Stored emotion screenings (all clients; deleted ones not counted)"),
  guestVisits30d: z.object({
    from: z.string().describe("First local day counted (YYYY-MM-DD)"),
    to: z.string().describe("Last local day counted (today)"),
    appointments: z.number().int(),
    visits: z.number().int().describe("Guests who checked in"),
  }),
});
export type PlatformStats = z.infer<typeof platformStatsSchema>;

/** Bookings per status: one pass over `["bookings", id]` in batches of 1000. */
export async function bookingsByStatus(): Promise<Record<BookingStatus, number>> {
  const kv = await getKv();
  const out = Object.fromEntries(BOOKING_STATUSES.map((s) => [s, 0])) as Record<BookingStatus, number>;
  for await (const e of kv.list<Booking>({ prefix: BK.BOOKINGS_PREFIX }, { batchSize: 1000 })) {
    const s = e.value.status;
    if (s in out) out[s]++;
  }
  return out;
}

/** Due refunds (`["booking_refunds_due", …]`). */
export async function countRefundsDue(): Promise<number> {
  const kv = await getKv();
  let n = 0;
  for await (const _ of kv.list({ prefix: BK.REFUNDS_DUE_PREFIX }, { batchSize: 1000 })) n++;
  return n;
}

/** Appointments and check-ins of the local days `from`..`to` (both included): one range of the day index. */
export async function guestVisits(from: string, to: string): Promise<{ appointments: number; visits: number }> {
  const kv = await getKv();
  let appointments = 0;
  let visits = 0;
  for await (
    const e of kv.list<Appointment>({ start: byDayPrefix(from), end: byDayPrefix(addDays(to, 1)) }, {
      batchSize: 1000,
    })
  ) {
    appointments++;
    if (e.value.checkedInAt) visits++;
  }
  return { appointments, visits };
}

/** Every figure of the statistics page at `nowMs`. */
export async function platformStats(nowMs: number = Date.now()): Promise<PlatformStats> {
  const today = localDateOfMs(nowMs);
  const from = addDays(today, -(ACTIVE_DAYS - 1));
  const [byRole, active, byStatus, refundsDue, visits, screenings] = await Promise.all([
    countUsersByRole(),
    countActiveUsers(nowMs),
    bookingsByStatus(),
    countRefundsDue(),
    guestVisits(from, today),
    countScreenings(),
  ]);
  return {
    generatedAt: new Date(nowMs).toISOString(),
    users: { total: Object.values(byRole).reduce((a, b) => a + b, 0), byRole },
    activeUsers30d: active,
    bookings: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus, refundsDue },
    screenings,
    guestVisits30d: { from, to: today, ...visits },
  };
}
