/**
 * Time cells: how a booking makes overlap impossible. A booking claims every
 * fixed-size cell `["slot_cells", psychologistId, cellStartMs]` that its
 * interval with buffers covers, each with `check({versionstamp: null})`, in the
 * same atomic commit that writes the booking — so two bookings whose buffered
 * intervals share even one cell can never both commit, whatever their lengths
 * (a unique key on the start time alone catches only identical slots: calcom
 * issue #13397). See docs/domain-rules.md "Booking".
 */
import { getKv } from "@/lib/db/kv.ts";

/** Cell size in minutes; service durations, buffers and working ranges sit on this grid. */
export const CELL_MINUTES = 5;
/** Cell size in ms. */
export const CELL_MS = CELL_MINUTES * 60_000;

/** A cell's value: the booking holding it and, for an unpaid hold, until when (UTC ms). */
export interface CellValue {
  bookingId: string;
  /** Epoch ms after which an unpaid hold no longer blocks (null = held for good). */
  holdUntil: number | null;
}

/** A half-open UTC interval `[start, end)` in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** Key of one cell. */
export const cellKey = (psychologistId: string, cellStartMs: number): Deno.KvKey => [
  "slot_cells",
  psychologistId,
  cellStartMs,
];

/**
 * Start instants (epoch ms) of the cells covering `[startMs, endMs)`, rounding
 * outward to the grid.
 * @throws RangeError when the interval is empty or longer than 100 cells
 *   (Deno KV allows 100 checks per atomic commit).
 */
export function cellsCovering(startMs: number, endMs: number): number[] {
  const first = Math.floor(startMs / CELL_MS) * CELL_MS;
  const last = Math.ceil(endMs / CELL_MS) * CELL_MS;
  const n = (last - first) / CELL_MS;
  if (!(n >= 1) || n > 100) throw new RangeError(`interval of ${n} cells`);
  return Array.from({ length: n }, (_, i) => first + i * CELL_MS);
}

/** The interval a booking occupies: its session widened by its buffers (epoch ms). */
export function bufferedInterval(
  b: { startsAt: string; endsAt: string; bufferBeforeMinutes: number; bufferAfterMinutes: number },
): Interval {
  return {
    start: Date.parse(b.startsAt) - b.bufferBeforeMinutes * 60_000,
    end: Date.parse(b.endsAt) + b.bufferAfterMinutes * 60_000,
  };
}

/** True when a cell blocks new bookings at `nowMs` (an expired unpaid hold does not). */
export function cellBlocks(v: CellValue, nowMs: number): boolean {
  return v.holdUntil === null || v.holdUntil > nowMs;
}

/**
 * The busy intervals of a psychologist between `fromMs` and `toMs` (epoch ms),
 * read from the claimed cells: adjacent blocking cells merged, expired holds
 * skipped. This is what the slot function gets as `busy`.
 * `opts.ignoreBookingId` leaves out the cells of that booking (a reschedule
 * checks its new start as if its own old cells were free).
 */
export async function readBusy(
  psychologistId: string,
  fromMs: number,
  toMs: number,
  nowMs: number,
  opts: { ignoreBookingId?: string } = {},
): Promise<Interval[]> {
  const kv = await getKv();
  const out: Interval[] = [];
  const iter = kv.list<CellValue>({
    start: cellKey(psychologistId, Math.floor(fromMs / CELL_MS) * CELL_MS),
    end: cellKey(psychologistId, Math.ceil(toMs / CELL_MS) * CELL_MS),
  }, { batchSize: 500 });
  for await (const e of iter) {
    if (!cellBlocks(e.value, nowMs)) continue;
    if (opts.ignoreBookingId !== undefined && e.value.bookingId === opts.ignoreBookingId) continue;
    const start = e.key[2] as number;
    const last = out[out.length - 1];
    if (last && last.end === start) last.end = start + CELL_MS;
    else out.push({ start, end: start + CELL_MS });
  }
  return out;
}

/** The current entries of the given cells (KV `getMany` reads at most 10 keys at a time). */
export async function readCells(psychologistId: string, starts: number[]): Promise<Deno.KvEntryMaybe<CellValue>[]> {
  const kv = await getKv();
  const out: Deno.KvEntryMaybe<CellValue>[] = [];
  for (let i = 0; i < starts.length; i += 10) {
    const keys = starts.slice(i, i + 10).map((s) => cellKey(psychologistId, s));
    out.push(...await kv.getMany<CellValue[]>(keys));
  }
  return out;
}

/** The cells a booking covers with its buffers. */
export function bookingCells(
  b: { startsAt: string; endsAt: string; bufferBeforeMinutes: number; bufferAfterMinutes: number },
): number[] {
  const i = bufferedInterval(b);
  return cellsCovering(i.start, i.end);
}

/**
 * Adds to `op` the deletion of every cell of booking `b` that `b` still holds
 * (each checked against the entry just read, so a cell another booking took
 * over is left alone). Returns how many it frees.
 */
export async function releaseCellsOps(
  op: Deno.AtomicOperation,
  b: {
    id: string;
    psychologistId: string;
    startsAt: string;
    endsAt: string;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
  },
): Promise<number> {
  const entries = await readCells(b.psychologistId, bookingCells(b));
  let n = 0;
  for (const e of entries) {
    if (e.value?.bookingId !== b.id) continue;
    op.check(e).delete(e.key);
    n++;
  }
  return n;
}
