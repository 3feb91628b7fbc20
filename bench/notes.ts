/**
 * Session notes: `saveNotes` (validate, seal five fields with AES-256-GCM, one
 * checked commit) and `readNotes` (ownership check, audit entry, decrypt every
 * version) against a KV file (the embedded default's engine), sequentially,
 * with note text of a realistic size (about 1,500 characters per SOAP field
 * and 1,000 in the private note, ~7 KB). Also the read of notes with 11
 * versions (signed original + 10 amendments). Prints p50/p99 in ms.
 */
import { useKv } from "@/lib/db/kv.ts";
import { createUser } from "@/lib/auth/users.ts";
import { newId } from "@/lib/db/ids.ts";
import { putBookingOps } from "@/lib/booking/store.ts";
import { resetDataKeys } from "@/lib/crypto/data_key.ts";
import { toBase64Url } from "@/lib/crypto/encoding.ts";
import { readNotes, saveNotes, signNotes } from "@/lib/notes/store.ts";
import { percentile, round } from "./lib.ts";

/** Text of about `n` characters (Indonesian-looking words). */
function text(n: number, seed: number): string {
  const words = ["klien", "tidur", "cemas", "kerja", "keluarga", "napas", "jurnal", "tujuan", "minggu", "rencana"];
  let s = "";
  for (let i = 0; s.length < n; i++) s += words[(i * 7 + seed) % words.length] + (i % 12 === 11 ? ".\n" : " ");
  return s.slice(0, n);
}

const stats = (xs: number[]) => ({ p50: round(percentile(xs, 50), 2), p99: round(percentile(xs, 99), 2) });

/** Runs the benchmark over `n` bookings; returns ms percentiles of each operation. */
export async function benchNotes(opts: { n?: number; amendments?: number } = {}) {
  const n = opts.n ?? 300;
  const amendments = opts.amendments ?? 10;
  const dir = await Deno.makeTempDir({ prefix: "rp-bench-notes-" });
  const kv = await Deno.openKv(`${dir}/kv.sqlite3`);
  useKv(kv);
  // A key for this run only: nothing is written to ./secrets.
  Deno.env.set("DATA_ENCRYPTION_KEY", toBase64Url(crypto.getRandomValues(new Uint8Array(32))));
  resetDataKeys();
  try {
    const psy = await createUser({ role: "psychologist", name: "Bench Psikolog", email: "psy.notes@bench.test" });
    const client = await createUser({ role: "client", name: "Bench Klien", email: "klien.notes@bench.test" });
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = newId();
      const start = now - (i + 1) * 86_400_000;
      const at = new Date(start).toISOString();
      await putBookingOps(kv.atomic(), null, {
        schemaVersion: 1,
        id,
        clientId: client.id,
        clientName: client.name,
        psychologistId: psy.id,
        psychologistName: psy.name,
        serviceId: "bench",
        serviceType: "video",
        durationMinutes: 50,
        priceIdr: 300_000,
        startsAt: at,
        endsAt: new Date(start + 50 * 60_000).toISOString(),
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        timeZone: "Asia/Jakarta",
        status: "completed",
        holdUntil: null,
        orderId: `RP-${id}`,
        refund: null,
        rescheduleCount: 0,
        history: [],
        createdAt: at,
        updatedAt: at,
      }).commit();
      ids.push(id);
    }
    const input = (i: number) => ({
      subjective: text(1500, i),
      objective: text(1500, i + 1),
      assessment: text(1500, i + 2),
      plan: text(1500, i + 3),
      private: text(1000, i + 4),
    });
    const actor = { id: psy.id, role: psy.role };
    await saveNotes(actor, ids[0], input(0)); // warm-up: key import, code paths
    const write: number[] = [];
    const read: number[] = [];
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      await saveNotes(actor, ids[i], input(i + 1));
      write.push(performance.now() - t);
      t = performance.now();
      const v = await readNotes(actor, ids[i]);
      read.push(performance.now() - t);
      if (v.current?.plan !== input(i + 1).plan.trim()) throw new Error("bench/notes: read back a different text");
    }
    // Versions: sign, amend, read all versions.
    const amend: number[] = [];
    const readMany: number[] = [];
    const m = Math.min(n, 30);
    for (let i = 0; i < m; i++) {
      await signNotes(actor, ids[i]);
      for (let a = 0; a < amendments; a++) {
        const t = performance.now();
        await saveNotes(actor, ids[i], { ...input(i + a + 7), reason: `Amandemen ${a + 1}` });
        amend.push(performance.now() - t);
      }
      const t = performance.now();
      const v = await readNotes(actor, ids[i]);
      readMany.push(performance.now() - t);
      if (v.versions.length !== amendments + 1) throw new Error("bench/notes: wrong number of versions");
    }
    return {
      n,
      bytes: new TextEncoder().encode(Object.values(input(1)).join("")).length,
      write: stats(write),
      read: stats(read),
      amend: stats(amend),
      readVersions: { versions: amendments + 1, notes: m, ...stats(readMany) },
    };
  } finally {
    kv.close();
    Deno.env.delete("DATA_ENCRYPTION_KEY");
    resetDataKeys();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
