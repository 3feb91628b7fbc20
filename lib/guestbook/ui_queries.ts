/**
 * Small data helpers for the front-desk pages (routes/teacher, routes/frontdesk,
 * routes/guest, routes/g) that are not part of the guest-book rules.
 *
 * The generated portal password of a guest created with an appointment is kept
 * (key: `guestPasswordFlashKey` in `keys.ts`) for {@link PASSWORD_FLASH_MS} so the
 * teacher's page can show it once after the redirect that follows the form
 * (POST → 303 → GET; a reload must not create a second appointment). Read once,
 * only by the user who created the appointment, then deleted. `expireIn` is lazy
 * in Deno KV, so `expiresAt` is checked as well.
 */
import { getKv } from "@/lib/db/kv.ts";
import { isId } from "@/lib/db/ids.ts";
import { guestPasswordFlashKey } from "./keys.ts";
import type { Appointment } from "./model.ts";
import { listAppointmentsByTeacher } from "./store.ts";
import { addDays, startOfLocalDay, todayLocal } from "./time.ts";

/** How long a generated guest password waits to be shown (ms). */
export const PASSWORD_FLASH_MS = 10 * 60_000;

interface PasswordFlash {
  userId: string;
  password: string;
  expiresAt: number;
}

/** Keeps a new guest's generated password for the creator's next page view. */
export async function stashGuestPassword(
  appointmentId: string,
  userId: string,
  password: string,
  now = Date.now(),
): Promise<void> {
  const kv = await getKv();
  const value: PasswordFlash = {
    userId,
    password,
    expiresAt: now + PASSWORD_FLASH_MS,
  };
  await kv.set(guestPasswordFlashKey(appointmentId), value, { expireIn: PASSWORD_FLASH_MS });
}

/**
 * Returns (and deletes) the stashed password of `appointmentId` when `userId`
 * stashed it and it has not expired; otherwise null (and nothing is deleted
 * for another user).
 */
export async function takeGuestPassword(
  appointmentId: string,
  userId: string,
  now = Date.now(),
): Promise<string | null> {
  if (!isId(appointmentId)) return null;
  const kv = await getKv();
  const e = await kv.get<PasswordFlash>(guestPasswordFlashKey(appointmentId));
  if (!e.value || e.value.userId !== userId) return null;
  await kv.atomic().check(e).delete(e.key).commit();
  return e.value.expiresAt > now ? e.value.password : null;
}

/**
 * A teacher's scheduled appointments after today (the "upcoming" list of the
 * teacher's home page), soonest first.
 * @param limit 1..100 (default 20)
 */
export async function upcomingForTeacher(
  teacherId: string,
  now: Date = new Date(),
  limit = 20,
): Promise<Appointment[]> {
  const from = startOfLocalDay(addDays(todayLocal(now), 1));
  const page = await listAppointmentsByTeacher(teacherId, { from, limit: 100 });
  return page.items.filter((a) => a.status === "scheduled").slice(
    0,
    Math.min(100, Math.max(1, limit)),
  );
}
