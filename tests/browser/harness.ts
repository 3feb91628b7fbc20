/**
 * Browser-test harness: the real app served over real HTTP on 127.0.0.1 with a
 * fresh KV, and Debian's Chromium driven by playwright-core.
 *
 * Chromium is found at `CHROMIUM_PATH` or /usr/bin/chromium (`.ci/run`
 * installs Debian's `chromium`). Flags: headless, no sandbox, no GPU; `--disable-quic` and
 * the background-networking flags keep Chromium off the closed network.
 */
import { type Browser, chromium, type LaunchOptions } from "playwright-core";
import { useKv } from "@/lib/db/kv.ts";
import { buildApp, ROOT } from "@/main.ts";
import { loadBuild } from "fresh";

export const CHROMIUM_PATH = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** True when Chromium is installed (browser tests need it; CI installs it). */
export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM_PATH).isFile;
  } catch {
    return false;
  }
}

export interface TestServer {
  url: string;
  kv: Deno.Kv;
  stop(): Promise<void>;
}

/**
 * Starts the app on a random loopback port with a fresh `:memory:` KV and the
 * built island bundles (run `deno task build` first; the test task does).
 */
export async function startServer(): Promise<TestServer> {
  const kv = await Deno.openKv(":memory:");
  useKv(kv);
  const build = await loadBuild(ROOT);
  if (!build) throw new Error("island bundles missing: run `deno task build` first");
  const app = await buildApp({ build });
  const ac = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} }, app.handler());
  const url = `http://localhost:${server.addr.port}`;
  Deno.env.set("BASE_URL", url);
  return {
    url,
    kv,
    async stop() {
      ac.abort();
      await server.finished;
      kv.close();
    },
  };
}

/** Launches headless Chromium with the project's flags plus `extraArgs`. */
export async function launchBrowser(extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    ...options,
  });
}

/** Reads the newest mail to `to` from the built-in outbox and returns its 6-digit code. */
export async function otpFromOutbox(kv: Deno.Kv, to: string): Promise<string> {
  let code: string | null = null;
  for await (const e of kv.list<Record<string, unknown>>({ prefix: ["outbox"] }, { reverse: true })) {
    const m = e.value;
    const recipients = JSON.stringify(m.to ?? "");
    if (!recipients.toLowerCase().includes(to.toLowerCase())) continue;
    const text = String(m.text ?? m.html ?? "");
    const found = text.match(/\b(\d{6})\b/);
    if (found) {
      code = found[1];
      break;
    }
  }
  if (!code) throw new Error(`no OTP mail to ${to} in the outbox`);
  return code;
}
