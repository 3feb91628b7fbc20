/**
 * A REAL SMTP server for tests: Debian's `python3-aiosmtpd` running tests/fixtures/smtp_sink.py on a free
 * local port. Every accepted message is written to a folder; `refuse(addresses)` makes the server refuse
 * those recipients with 550 (a mailbox it will not take) until called again.
 *
 * Requires `python3-aiosmtpd` (CI installs it: `apt-get install -y python3-aiosmtpd`). The interpreter is
 * `$AIOSMTPD_PYTHON`, else the first of /usr/bin/python3, python3 that can import `aiosmtpd`;
 * {@link SMTP_PYTHON} is null when there is none (tests then `ignore` themselves).
 */

const SINK = new URL("./fixtures/smtp_sink.py", import.meta.url).pathname;

function findPython(): string | null {
  for (const py of [Deno.env.get("AIOSMTPD_PYTHON"), "/usr/bin/python3", "python3"]) {
    if (!py) continue;
    try {
      const r = new Deno.Command(py, { args: ["-c", "import aiosmtpd"], stdout: "null", stderr: "null" })
        .outputSync();
      if (r.success) return py;
    } catch { /* not there */ }
  }
  return null;
}

/** A python interpreter with aiosmtpd, or null (then the SMTP tests are ignored, with a message). */
export const SMTP_PYTHON: string | null = findPython();
if (!SMTP_PYTHON) {
  console.error("smtp_sink: python3-aiosmtpd is not installed — `apt-get install -y python3-aiosmtpd` (CI does).");
}

/** A message the sink accepted. */
export interface ReceivedMail {
  mail_from: string;
  rcpt_tos: string[];
  subject: string;
  from: string;
  to: string;
  text: string;
  html: string;
}

/**
 * A running sink: `url` for `SMTP_URL`, the messages received so far, `next()` (the next message not yet
 * taken by `next`, waiting up to `timeoutMs`, default 10 s), recipient refusal, `stop()`.
 */
export interface SmtpSink {
  url: string;
  received(): Promise<ReceivedMail[]>;
  next(timeoutMs?: number): Promise<ReceivedMail>;
  refuse(addresses: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a sink on a free port of 127.0.0.1 and waits until it listens (10 s at most). */
export async function startSmtpSink(): Promise<SmtpSink> {
  if (!SMTP_PYTHON) throw new Error("python3-aiosmtpd is not installed");
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const dir = await Deno.makeTempDir({ prefix: "smtp_sink_" });
  const child = new Deno.Command(SMTP_PYTHON, {
    args: [SINK, String(port), dir],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let buf = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error("SMTP sink did not start")), 10_000);
  });
  try {
    while (!buf.includes("READY")) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) throw new Error("SMTP sink exited early");
      buf += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(timer);
  }
  let seen = 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    async next(timeoutMs = 10_000) {
      seen++;
      const file = `${dir}/${String(seen).padStart(4, "0")}.json`;
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        try {
          return JSON.parse(await Deno.readTextFile(file));
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      throw new Error(`no message ${seen} received within ${timeoutMs} ms`);
    },
    async received() {
      const names: string[] = [];
      for await (const e of Deno.readDir(dir)) if (/^\d+\.json$/.test(e.name)) names.push(e.name);
      names.sort();
      return await Promise.all(names.map(async (n) => JSON.parse(await Deno.readTextFile(`${dir}/${n}`))));
    },
    async refuse(addresses) {
      await Deno.writeTextFile(`${dir}/refuse.txt`, addresses.map((a) => `${a}\n`).join(""));
    },
    async stop() {
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      await child.stdin.close().catch(() => {});
      const kill = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 3000);
      await child.status;
      clearTimeout(kill);
      await Deno.remove(dir, { recursive: true });
    },
  };
}
