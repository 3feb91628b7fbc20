/**
 * Booking contention: `racers` clients (default 200) POST /api/bookings at the
 * same moment for overlapping slots of both services (the 50-minute video at
 * 10:00 plus its buffer covers every start), over real HTTP on loopback, with
 * the app and a KV file in this process (the embedded default's engine) and
 * the built-in Midtrans sandbox answering the winner's Snap call. Repeated for
 * `rounds` different days; prints the latency of every request (p50/p99) and
 * the winners per round, which must be exactly 1.
 */
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { createPsychologistProfile } from "@/lib/psychologists/store.ts";
import { putAvailability } from "@/lib/availability/store.ts";
import { bookingMailIdle } from "@/lib/booking/mail.ts";
import { buildApp } from "@/main.ts";
import { percentile, round } from "./lib.ts";

function jakartaAt(days: number, hhmm: string): string {
  const [h, m] = hhmm.split(":").map(Number);
  const today = Temporal.Now.zonedDateTimeISO("Asia/Jakarta").toPlainDate();
  return today.add({ days }).toZonedDateTime({ timeZone: "Asia/Jakarta", plainTime: new Temporal.PlainTime(h, m) })
    .toInstant().toString();
}

/** Runs the benchmark; returns latency percentiles (ms) and the winners of each round. */
export async function benchBooking(opts: { racers?: number; rounds?: number } = {}) {
  const racers = opts.racers ?? 200;
  const rounds = opts.rounds ?? 5;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-booking-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  Deno.env.set("RATE_LIMITS", "off");
  const ac = new AbortController();
  try {
    const app = await buildApp({ build: null });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
    const base = `http://127.0.0.1:${server.addr.port}`;
    Deno.env.set("BASE_URL", base);
    const psyUser = await createUser({ role: "psychologist", name: "Bench Psikolog", email: "psy@bench.test" });
    const psy = await createPsychologistProfile(psyUser.id, {
      name: "Bench Psikolog",
      title: "M.Psi., Psikolog",
      specialisations: ["stress"],
      education: ["S2 Psikologi Profesi"],
      licenceNumber: "SIPP 0000-00-0-0",
      practicePlace: "Bench",
      yearsOfExperience: 3,
      languages: ["id"],
      bio: "",
      services: [
        { type: "chat", durationMinutes: 30, priceIdr: 150_000 },
        { type: "video", durationMinutes: 50, priceIdr: 300_000 },
      ],
    }, { verification: "verified", photoFileId: null });
    const day = [{ start: "08:00", end: "18:00" }];
    await putAvailability(psy.id, {
      timeZone: "Asia/Jakarta",
      weekly: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, day])),
      overrides: {},
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 10,
      minimumNoticeMinutes: 120,
      horizonDays: 30,
      slotIntervalMinutes: 30,
    });
    const [chat, video] = psy.services;
    const tokens: string[] = [];
    for (let i = 0; i < racers * rounds; i++) {
      const u = await createUser({ role: "client", name: `Racer ${i}`, email: `racer${i}@bench.test` });
      tokens.push((await createSession(u.id, "bearer")).token);
    }
    const picks = [[video, "10:00"], [chat, "10:00"], [chat, "10:30"], [video, "10:00"]] as const;
    const latencies: number[] = [];
    const winners: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const results = await Promise.all(Array.from({ length: racers }, async (_, i) => {
        const [s, at] = picks[i % picks.length];
        const t0 = performance.now();
        const res = await fetch(`${base}/api/bookings`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${tokens[r * racers + i]}`,
            "content-type": "application/json",
            origin: base,
          },
          body: JSON.stringify({ psychologistId: psy.id, serviceId: s.id, startsAt: jakartaAt(r + 2, at) }),
        });
        await res.body?.cancel();
        latencies.push(performance.now() - t0);
        return res.status;
      }));
      winners.push(results.filter((s) => s === 201).length);
    }
    await bookingMailIdle();
    ac.abort();
    await server.finished;
    return {
      racers,
      rounds,
      winners,
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(Math.max(...latencies), 1),
    };
  } finally {
    ac.abort();
    Deno.env.delete("RATE_LIMITS");
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) console.log(await benchBooking());
