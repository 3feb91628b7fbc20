/**
 * A psychologist's booking history with filters: a local date range
 * (`TIME_ZONE`, both ends included, at most 366 days), service type and state;
 * newest first, one page at a time (docs/domain-rules.md "Psychologist workspace").
 */
import { getKv, type Page, scanPage } from "@/lib/db/kv.ts";
import { config } from "@/lib/config.ts";
import type { Booking, BookingStatus } from "@/lib/booking/model.ts";
import { bookingKey, byPsychologistPrefix } from "@/lib/booking/keys.ts";
import type { ServiceType } from "@/lib/psychologists/model.ts";
import { addDays, startOfLocalDay } from "@/lib/guestbook/time.ts";

/** Filters of {@link historyOf}. Dates are local `YYYY-MM-DD` (validated by the caller). */
export interface HistoryFilter {
  from: string;
  to: string;
  serviceType?: ServiceType | null;
  status?: BookingStatus | null;
  cursor?: string | null;
  /** 1–100, default 30. */
  limit?: number;
}

/**
 * Bookings of psychologist `psychologistId` starting from local date `from` to
 * `to` (both included) that match the filters, newest first.
 * @throws BadRequest `invalid_cursor` for a malformed cursor
 */
export async function historyOf(psychologistId: string, f: HistoryFilter): Promise<Page<Booking>> {
  const kv = await getKv();
  const prefix = byPsychologistPrefix(psychologistId);
  const selector = {
    start: [...prefix, startOfLocalDay(f.from, config.timeZone)],
    end: [...prefix, startOfLocalDay(addDays(f.to, 1), config.timeZone)],
  };
  return await scanPage<string, Booking>(kv, selector, async (id) => {
    const b = (await kv.get<Booking>(bookingKey(id))).value;
    if (!b || (f.status && b.status !== f.status) || (f.serviceType && b.serviceType !== f.serviceType)) return null;
    return b;
  }, { cursor: f.cursor, limit: f.limit ?? 30 });
}
