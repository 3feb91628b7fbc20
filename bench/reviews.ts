/**
 * Reviews (lib/reviews) in a KV file (the embedded default's engine): one
 * psychologist, one client and `count` completed bookings (default 300).
 * Prints ms p50/p99 of:
 * - `submitReview` one after another (review + rating sums + directory card, one commit);
 * - `concurrency` reviews of different bookings of the SAME psychologist at once
 *   (every commit checks the profile's versionstamp, so they retry): wall time,
 *   how many landed and how many answered 409 `concurrent_update`;
 * - the profile's first page (`listPsychologistReviews`, 5 and 50 per page);
 * - `setReviewHidden` hide + unhide (sums in the same commit, audit entry).
 */
import { useKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { createUser } from "@/lib/auth/users.ts";
import { addProfileWrites, newProfile } from "@/lib/psychologists/store.ts";
import { profileInputSchema } from "@/lib/psychologists/model.ts";
import { parseInput } from "@/lib/validation.ts";
import type { Booking } from "@/lib/booking/model.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { listPsychologistReviews, setReviewHidden, submitReview } from "@/lib/reviews/store.ts";
import { percentile, round } from "./lib.ts";

function stats(ms: number[]) {
  return { p50: round(percentile(ms, 50), 2), p99: round(percentile(ms, 99), 2) };
}

/** Runs the benchmark (see the module comment). */
export async function benchReviews(opts: { count?: number; concurrency?: number } = {}) {
  const count = opts.count ?? 300;
  const concurrency = opts.concurrency ?? 20;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-reviews-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  try {
    const psyUser = await createUser({ role: "psychologist", name: "Bench Psikolog", email: "bench.psy@bench.test" });
    const admin = await createUser({ role: "admin", name: "Bench Admin", email: "bench.admin@bench.test" });
    const client = await createUser({ role: "client", name: "Bench Klien", email: "bench.client@bench.test" });
    const p = newProfile(
      psyUser.id,
      parseInput(profileInputSchema, {
        name: psyUser.name,
        licenceNumber: "SIPP 0000-00-0-0",
        yearsOfExperience: 5,
        specialisations: ["anxiety"],
        languages: ["id"],
        services: [{ type: "chat", durationMinutes: 30, priceIdr: 150_000 }],
      }),
      "verified",
    );
    await addProfileWrites(kv.atomic(), p, null).commit();
    const s = p.services[0];
    const base = Date.now() - 400 * 86_400_000;
    const bookings: Booking[] = [];
    for (let i = 0; i < count + concurrency; i++) {
      const start = base + i * 3_600_000;
      const id = newId(start - 86_400_000);
      const b: Booking = {
        schemaVersion: 1,
        id,
        clientId: client.id,
        clientName: client.name,
        psychologistId: p.id,
        psychologistName: p.name,
        serviceId: s.id,
        serviceType: s.type,
        durationMinutes: s.durationMinutes,
        priceIdr: s.priceIdr,
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 1_800_000).toISOString(),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 10,
        timeZone: "Asia/Jakarta",
        status: "completed",
        holdUntil: null,
        orderId: `RP-${id}`,
        refund: null,
        rescheduleCount: 0,
        history: [],
        createdAt: new Date(start).toISOString(),
        updatedAt: new Date(start).toISOString(),
      };
      await putBookingOps(kv.atomic(), null, b).commit();
      bookings.push(b);
    }
    const submit: number[] = [];
    for (const b of bookings.slice(0, count)) {
      const t = performance.now();
      await submitReview(client, b.id, { rating: 1 + (submit.length % 5), comment: "Sesi yang membantu." });
      submit.push(performance.now() - t);
    }
    const t0 = performance.now();
    const raced = await Promise.allSettled(
      bookings.slice(count).map((b) => submitReview(client, b.id, { rating: 5 })),
    );
    const racedMs = performance.now() - t0;
    const landed = raced.filter((r) => r.status === "fulfilled").length;
    const list5: number[] = [];
    const list50: number[] = [];
    for (let i = 0; i < 200; i++) {
      let t = performance.now();
      await listPsychologistReviews(p.id, { limit: 5 });
      list5.push(performance.now() - t);
      t = performance.now();
      await listPsychologistReviews(p.id, { limit: 50 });
      list50.push(performance.now() - t);
    }
    const hide: number[] = [];
    for (const b of bookings.slice(0, 50)) {
      const t = performance.now();
      await setReviewHidden(admin, b.id, true, "bench");
      await setReviewHidden(admin, b.id, false);
      hide.push((performance.now() - t) / 2);
    }
    return {
      count,
      submit: stats(submit),
      race: { concurrency, ms: round(racedMs, 1), landed, conflicts: concurrency - landed },
      list5: stats(list5),
      list50: stats(list50),
      hide: stats(hide),
    };
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The benchmark's printed lines. */
export function formatReviews(r: Awaited<ReturnType<typeof benchReviews>>): string[] {
  return [
    `submitReview, sequential (${r.count} reviews of one psychologist): p50 ${r.submit.p50} ms, p99 ${r.submit.p99} ms`,
    `${r.race.concurrency} reviews of one psychologist at once: ${r.race.ms} ms wall, ${r.race.landed} landed, ${r.race.conflicts} answered 409 concurrent_update`,
    `profile list, first page of 5: p50 ${r.list5.p50} ms, p99 ${r.list5.p99} ms; of 50: p50 ${r.list50.p50} ms, p99 ${r.list50.p99} ms`,
    `hide or unhide (sums + audit): p50 ${r.hide.p50} ms, p99 ${r.hide.p99} ms`,
  ];
}
