/**
 * Check-ins per second: N appointments for today across 20
 * teachers, then every QR code is checked in through the real domain function
 * (`checkIn`: token verification, one atomic commit with a versionstamp check
 * plus the teacher's notification) with `concurrency` check-ins in flight, on
 * a KV file in a temp directory (the embedded default's storage engine).
 */
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { checkIn } from "@/lib/guestbook/check_in.ts";
import { round } from "./lib.ts";

/** Runs the benchmark; returns check-ins per second and how many succeeded. */
export async function benchCheckIns(opts: { appointments?: number; concurrency?: number } = {}) {
  const n = opts.appointments ?? 400;
  const concurrency = opts.concurrency ?? 16;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  try {
    const receptionist = await createUser({ role: "receptionist", name: "Bench Desk", email: "desk@bench.test" });
    const teachers = [];
    for (let i = 0; i < 20; i++) {
      teachers.push(await createUser({ role: "teacher", name: `Guru ${i}`, email: `guru${i}@bench.test` }));
    }
    const codes: string[] = [];
    const startsAt = new Date(Date.now() + 30 * 60_000).toISOString();
    for (let i = 0; i < n; i++) {
      const t = teachers[i % teachers.length];
      const phone = `0812${String(10_000_000 + i).padStart(8, "0")}`;
      const c = await createAppointment(
        { guestName: `Tamu ${i}`, guestPhone: phone, purpose: "Bench", startsAt },
        { id: t.id, role: "teacher" },
        new Date(),
        { email: false },
      );
      codes.push(c.qrCode);
    }
    let next = 0;
    let ok = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < codes.length) {
        const code = codes[next++];
        await checkIn(code, { id: receptionist.id, role: "receptionist" });
        ok++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    return {
      appointments: n,
      concurrency,
      checkedIn: ok,
      checkInsPerSecond: round(ok / seconds, 0),
      msPerCheckIn: round((seconds * 1000) / ok, 2),
    };
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) console.log(await benchCheckIns());
