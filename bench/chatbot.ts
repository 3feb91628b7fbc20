/**
 * CnBuddy benchmark and evaluation (docs/benchmarks.md "CnBuddy"):
 *
 * 1. Evaluation on the held-out part of `lib/chatbot/corpus.json` (the
 *    `test` utterances and the off-topic `unknown` messages, never trained
 *    on): intent accuracy per language and overall (target ≥ 90 %), how many
 *    off-topic messages come out `unknown`; crisis recall over the corpus's
 *    crisis messages (target 100 %) and crisis false positives over every
 *    non-crisis message of the corpus (idioms, all intent utterances, off-topic).
 * 2. Training time of the classifier (a fresh one, in this process).
 * 3. Throughput: `POST /api/chatbot` over real loopback HTTP (the app served by
 *    `Deno.serve` on 127.0.0.1 in this process, `:memory:` KV, rate limits off),
 *    `concurrency` clients sending held-out messages for `requests` requests:
 *    replies/s and latency p50/p99.
 *
 * `deno run -A bench/chatbot.ts` prints the result; `benchChatbot()` returns it.
 */
import { percentile, round } from "./lib.ts";
import { useKv } from "@/lib/db/kv.ts";
import { buildApp } from "@/main.ts";
import { CORPUS, INTENTS, trainClassifier } from "@/lib/chatbot/classifier.ts";
import { detectCrisis } from "@/lib/chatbot/crisis.ts";

/** Options; the defaults are the numbers docs/benchmarks.md reports. */
export interface ChatbotBenchOptions {
  /** HTTP requests in the throughput run (default 2,000). */
  requests?: number;
  /** Clients in flight (default 8). */
  concurrency?: number;
}

/** What {@link benchChatbot} measures (percentages 0–100, times in ms). */
export interface ChatbotBenchResult {
  intentAccuracyPct: number;
  intentAccuracyIdPct: number;
  intentAccuracyEnPct: number;
  heldOutIntentMessages: number;
  unknownRecognised: number;
  unknownMessages: number;
  crisisRecallPct: number;
  crisisMessages: number;
  crisisFalsePositives: number;
  nonCrisisMessages: number;
  trainMs: number;
  repliesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
  concurrency: number;
}

/** Runs the evaluation and the throughput run (about 5–15 s). */
export async function benchChatbot(opts: ChatbotBenchOptions = {}): Promise<ChatbotBenchResult> {
  const requests = opts.requests ?? 2000;
  const concurrency = opts.concurrency ?? 8;
  const classifier = await trainClassifier();

  const right = { id: 0, en: 0 };
  const total = { id: 0, en: 0 };
  let unknownRecognised = 0;
  let unknownMessages = 0;
  const messages: string[] = [];
  for (const lang of ["id", "en"] as const) {
    for (const intent of INTENTS) {
      for (const s of CORPUS.intents[intent][lang].test) {
        total[lang]++;
        if ((await classifier.classify(s, lang)).intent === intent) right[lang]++;
        messages.push(s);
      }
    }
    for (const s of CORPUS.unknown[lang]) {
      unknownMessages++;
      if ((await classifier.classify(s, lang)).intent === "unknown") unknownRecognised++;
    }
  }

  let caught = 0;
  let crisisMessages = 0;
  let falsePositives = 0;
  let nonCrisis = 0;
  for (const lang of ["id", "en"] as const) {
    for (const s of CORPUS.crisis[lang].positive) {
      crisisMessages++;
      if (detectCrisis(s).crisis) caught++;
    }
    const ordinary = [
      ...CORPUS.crisis[lang].negative,
      ...CORPUS.unknown[lang],
      ...INTENTS.flatMap((i) => [...CORPUS.intents[i][lang].train, ...CORPUS.intents[i][lang].test]),
    ];
    for (const s of ordinary) {
      nonCrisis++;
      if (detectCrisis(s).crisis) falsePositives++;
    }
  }

  // Throughput over loopback HTTP.
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const prevLimits = Deno.env.get("RATE_LIMITS");
  Deno.env.set("RATE_LIMITS", "off");
  const app = await buildApp();
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
  const url = `http://127.0.0.1:${server.addr.port}/api/chatbot`;
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const send = async (message: string) => {
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ message }),
    });
    await r.arrayBuffer();
    return r.status;
  };
  await send("halo"); // trains the app's shared classifier before timing
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      const m = messages[next++ % messages.length];
      const t0 = performance.now();
      const status = await send(m);
      latencies.push(performance.now() - t0);
      if (status !== 200) errors++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  ac.abort();
  await server.finished;
  kv.close();
  if (prevLimits === undefined) Deno.env.delete("RATE_LIMITS");
  else Deno.env.set("RATE_LIMITS", prevLimits);

  const pct = (a: number, b: number) => round((100 * a) / Math.max(1, b), 1);
  return {
    intentAccuracyPct: pct(right.id + right.en, total.id + total.en),
    intentAccuracyIdPct: pct(right.id, total.id),
    intentAccuracyEnPct: pct(right.en, total.en),
    heldOutIntentMessages: total.id + total.en,
    unknownRecognised,
    unknownMessages,
    crisisRecallPct: pct(caught, crisisMessages),
    crisisMessages,
    crisisFalsePositives: falsePositives,
    nonCrisisMessages: nonCrisis,
    trainMs: round(classifier.trainMs, 0),
    repliesPerSecond: round(latencies.length / seconds, 0),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    errors,
    requests: latencies.length,
    concurrency,
  };
}

/** One line per group of numbers, as `deno task bench` prints them. */
export function formatChatbot(c: ChatbotBenchResult): string {
  return [
    `held-out intent accuracy: ${c.intentAccuracyPct} % of ${c.heldOutIntentMessages} (id ${c.intentAccuracyIdPct} %, en ${c.intentAccuracyEnPct} %; target ≥ 90 %); off-topic → unknown: ${c.unknownRecognised}/${c.unknownMessages}`,
    `crisis recall: ${c.crisisRecallPct} % of ${c.crisisMessages} (target 100 %); crisis false positives: ${c.crisisFalsePositives} of ${c.nonCrisisMessages} ordinary messages`,
    `training: ${c.trainMs} ms; POST /api/chatbot over loopback: ${c.repliesPerSecond} replies/s, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms (${c.requests} requests, ${c.concurrency} in flight, errors ${c.errors})`,
  ].join("\n");
}

if (import.meta.main) {
  Deno.env.set("LOG_LEVEL", "error");
  console.log(formatChatbot(await benchChatbot()));
}
