/**
 * `deno task bench`: prints every benchmark number (docs/benchmarks.md).
 * - Foundation: /about requests/s vs a bare Deno.serve hello-world (ratio, alternating rounds),
 *   sign-in latency p50/p99, JavaScript bytes of /about (must be 0) and of the home pages.
 * - Front desk: QR decoder read rate and ms per image (jsQR and zxing-wasm,
 *   0/90/180/270°), check-in → notification latency p50/p99 with 200 teachers connected,
 *   server memory with 1,000 open notification streams, check-ins per second.
 * - Booking: 200 clients racing for overlapping slots (p50/p99, winners per round).
 * - Directory: query shapes over 2,000 psychologists (p50/p95 ms).
 * - Payments: Midtrans notification handling req/s over real HTTP (signature, status API, apply).
 * - Availability: free-slot computation over a 30-day horizon (p50/p95 ms), the directory's
 *   availability summary over 2,000 psychologists (cold, warm, after new bookings).
 * - Chat: 200 rooms × 2 participants, send → delivered p50/p99, lost/duplicated, RSS per open stream.
 * - CnBuddy: held-out intent accuracy, crisis recall and false positives, training time, replies/s and p99.
 * - Session notes: encrypt + write and read + decrypt (with its audit entry) p50/p99 ms, reads of 11 versions.
 * - Workspace: monthly statistics over 10,000 bookings of one psychologist (p50/p99 ms), the queue page (req/s).
 * - Emotion screening: in headless Chromium, per-frame ms and fps per backend, model and JS bytes,
 *   emotion agreement on labelled faces (bench/screening.ts).
 * - Finance: admin transactions page + totals, totals alone, the year's finance report and the
 *   platform statistics over 10,000 payments/bookings (ms p50/p99).
 * Everything runs on loopback, bounded in time.
 */
import { benchFoundation } from "./foundation.ts";
import { benchDecoders, formatTable } from "./qr_decoders.ts";
import { benchNotify } from "./notify.ts";
import { benchCheckIns } from "./checkins.ts";
import { benchBooking } from "./booking.ts";
import { benchDirectory } from "./directory.ts";
import { benchPayments } from "./payments.ts";
import { benchAvailability, formatAvailability } from "./availability.ts";
import { benchChatbot, formatChatbot } from "./chatbot.ts";
import { benchChat, formatChat } from "./chat.ts";
import { benchNotes } from "./notes.ts";
import { benchFinance } from "./finance.ts";
import { benchStimuli, formatStimuli } from "./stimuli.ts";
import { benchWorkspace } from "./workspace.ts";
import { benchReviews, formatReviews } from "./reviews.ts";
import { benchScreening, formatScreening } from "./screening.ts";

Deno.env.set("LOG_LEVEL", "error");
const only = Deno.args[0];
const t0 = performance.now();
console.log(`RuangPulih benchmarks — ${navigator.hardwareConcurrency} CPU(s), Deno ${Deno.version.deno}\n`);

if (!only || only === "foundation") {
  const f = await benchFoundation();
  console.log("## Foundation");
  console.log(
    `GET /about: ${f.aboutRps} req/s; bare Deno.serve hello-world: ${f.helloRps} req/s; ratio ${f.ratio} (range ${f.ratioMin}–${f.ratioMax} over ${f.ratioRounds} alternating rounds; errors ${f.loadErrors})`,
  );
  console.log(
    `server CPU per request: /about ${f.appCpuUsPerRequest} µs, hello-world ${f.helloCpuUsPerRequest} µs; CPU ratio ${f.cpuRatio}`,
  );
  console.log(`sign-in latency (POST /api/auth/login, argon2id): p50 ${f.signInP50Ms} ms, p99 ${f.signInP99Ms} ms`);
  console.log(
    `JavaScript bytes: /about ${f.jsBytesAbout} B; landing / ${f.jsBytesLanding} B; teacher home /teacher ${f.jsBytesTeacherHome} B\n`,
  );
}

if (!only || only === "qr") {
  console.log("## QR decoders (../shared/datasets/zxing-qrcode)");
  console.log(formatTable(await benchDecoders()));
  console.log();
}

if (!only || only === "checkins") {
  const c = await benchCheckIns();
  console.log("## Check-ins");
  console.log(
    `${c.checkInsPerSecond} check-ins/s (${c.checkedIn} codes, ${c.concurrency} in flight, ${c.msPerCheckIn} ms each, KV file)\n`,
  );
}

if (!only || only === "notify") {
  const n = await benchNotify({ log: false });
  console.log("## Notifications (SSE over real HTTP)");
  console.log(
    `check-in → notification with ${n.teachersConnected} teachers connected: p50 ${n.latencyP50Ms} ms, p99 ${n.latencyP99Ms} ms (max ${n.latencyMaxMs} ms, ${n.events} events, lost ${n.lost}, duplicates ${n.duplicates})`,
  );
  console.log(
    `bursts of ${n.burstConcurrency} concurrent check-ins: p50 ${n.burstLatencyP50Ms} ms, p99 ${n.burstLatencyP99Ms} ms, ${n.burstCheckInsPerSecond} check-ins/s delivered`,
  );
  console.log(
    `server memory with ${n.streamsOpen} open streams: RSS ${n.serverRssBeforeMB} → ${n.serverRssWithStreamsMB} MB (+${n.serverRssDeltaMB} MB, ${n.rssPerStreamKB} KB/stream), heap +${n.serverHeapDeltaMB} MB; watches after close ${n.watchesAfterClose}\n`,
  );
}

if (!only || only === "booking") {
  const b = await benchBooking();
  console.log("## Booking contention (POST /api/bookings over HTTP, KV file, built-in Midtrans sandbox)");
  console.log(
    `${b.racers} racers × ${b.rounds} rounds on overlapping slots: p50 ${b.p50Ms} ms, p99 ${b.p99Ms} ms (max ${b.maxMs} ms); winners per round ${
      b.winners.join(", ")
    }\n`,
  );
}

if (!only || only === "directory") {
  const d = await benchDirectory({ count: 2000, runs: 30 });
  console.log(
    `## Directory (searchPsychologists over ${d.count} verified psychologists, KV file, ${d.runs} runs a shape)`,
  );
  for (const [shape, v] of Object.entries(d.shapes)) console.log(`${shape}: p50 ${v.p50} ms, p95 ${v.p95} ms`);
  console.log();
}

if (!only || only === "payments") {
  const p = await benchPayments();
  console.log("## Payments (Midtrans notifications over real HTTP, builtin sandbox)");
  console.log(
    `first delivery (signature + status API + apply with the booking, one commit): ${p.first.rps} req/s, p50 ${p.first.p50} ms, p99 ${p.first.p99} ms (${p.notifications} notifications, ${p.concurrency} in flight, ${p.paid} paid, errors ${p.first.errors})`,
  );
  console.log(
    `replays (signature + status API, unchanged): ${p.replay.rps} req/s, p50 ${p.replay.p50} ms, p99 ${p.replay.p99} ms (errors ${p.replay.errors})\n`,
  );
}

if (!only || only === "availability") {
  console.log("## Availability");
  for (const l of formatAvailability(await benchAvailability())) console.log(l);
  console.log();
}

if (!only || only === "chat") {
  console.log("## Chat (SSE + POST over real loopback HTTP, server in a child process, in-memory KV)");
  console.log(formatChat(await benchChat()) + "\n");
}

if (!only || only === "chatbot") {
  console.log("## CnBuddy (evaluation on the held-out corpus; POST /api/chatbot over HTTP)");
  console.log(formatChatbot(await benchChatbot()) + "\n");
}

if (!only || only === "notes") {
  const r = await benchNotes();
  console.log("## Session notes (lib/notes, AES-256-GCM, KV file, sequential)");
  console.log(
    `encrypt + write (saveNotes, ${r.bytes} B of text in 5 fields): p50 ${r.write.p50} ms, p99 ${r.write.p99} ms (${r.n} notes)`,
  );
  console.log(`read + decrypt (readNotes, incl. its audit entry): p50 ${r.read.p50} ms, p99 ${r.read.p99} ms`);
  console.log(
    `amendment (new version): p50 ${r.amend.p50} ms, p99 ${r.amend.p99} ms; read of ${r.readVersions.versions} versions: p50 ${r.readVersions.p50} ms, p99 ${r.readVersions.p99} ms (${r.readVersions.notes} notes)\n`,
  );
}

if (!only || only === "finance") {
  const f = await benchFinance();
  const ms = (x: { p50: number; p99: number }) => `p50 ${x.p50} ms, p99 ${x.p99} ms`;
  console.log(
    `## Admin finance (${f.payments} payments + bookings over one year, 50 psychologists, KV file; written in ${f.fillMs} ms)`,
  );
  console.log(
    `transactions page + totals, no filter (${f.totalsCount} matches, ${f.refundsDue} refunds due): ${ms(f.pageAll)}`,
  );
  console.log(
    `  one month: ${ms(f.pageMonth)}; one psychologist: ${ms(f.pagePsychologist)}; status=paid: ${ms(f.pagePaid)}`,
  );
  console.log(`totals alone, every payment: ${ms(f.totalsAll)}`);
  console.log(`finance report of the year (ledger): ${ms(f.finance)}`);
  console.log(`platform statistics (accounts, active users, bookings by status, visits): ${ms(f.stats)}\n`);
}

if (!only || only === "stimuli") {
  console.log("## Screening stimuli (GET /api/screening/stimuli over loopback HTTP; admin saves, in-process app)");
  for (const l of formatStimuli(await benchStimuli())) console.log(l);
  console.log();
}

if (!only || only === "workspace") {
  const w = await benchWorkspace();
  console.log("## Psychologist workspace (KV file; queue page over real loopback HTTP, signed in)");
  console.log(
    `statistics over ${w.bookings} bookings of one psychologist (booking_stats index, one kv.list): 12 months p50 ${w.stats12.p50} ms, p99 ${w.stats12.p99} ms; 36 months p50 ${w.stats36.p50} ms, p99 ${w.stats36.p99} ms (${w.sessions36} sessions); reading every booking one by one instead: p50 ${w.naive.p50} ms`,
  );
  console.log(
    `GET /psychologist/queue: ${w.queueRps} req/s (${w.connections} connections, errors ${w.queueErrors}); writing the ${w.bookings} bookings with their indexes: ${w.writeMs} ms\n`,
  );
}

if (!only || only === "reviews") {
  console.log("## Reviews (lib/reviews, KV file)");
  for (const l of formatReviews(await benchReviews())) console.log(l);
  console.log();
}

if (!only || only === "screening") {
  console.log("## Emotion screening (headless Chromium, engine Worker, 320 × 240 frames with a real face)");
  console.log(formatScreening(await benchScreening()) + "\n");
}

console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
