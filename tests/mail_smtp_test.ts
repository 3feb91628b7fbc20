/**
 * Mail through a REAL SMTP server: the test harness starts Debian's
 * `python3-aiosmtpd` (tests/fixtures/smtp_sink.py), points `SMTP_URL` at it,
 * registers a client through HTTP, reads the 6-digit code from the received
 * message and verifies the account with it. Also: an unreachable SMTP server
 * never loses the registration (no 500; the page offers to resend).
 *
 * Requires `python3-aiosmtpd` (CI installs it: `apt-get install -y python3-aiosmtpd`).
 * The interpreter is `$AIOSMTPD_PYTHON`, else the first of /usr/bin/python3,
 * python3 that can import `aiosmtpd`.
 */
import assert from "node:assert/strict";
import { appHandler, cookieFrom, freshKv, get, postForm } from "./helpers.ts";
import { codeFromText, outboxKey, sendMail, SMTP_TIMEOUTS_MS } from "@/lib/mail/mod.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { SMTP_PYTHON, startSmtpSink } from "./smtp_sink.ts";

function withEnv(vars: Record<string, string>): () => void {
  const old: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    old[k] = Deno.env.get(k);
    Deno.env.set(k, v);
  }
  return () => {
    for (const [k, v] of Object.entries(old)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  };
}

Deno.test({
  name: "registration code travels through a real SMTP server and verifies the account",
  ignore: !SMTP_PYTHON,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await freshKv();
    const h = await appHandler();
    const sink = await startSmtpSink();
    const restore = withEnv({
      SMTP_URL: sink.url,
      MAIL_FROM: "RuangPulih Test <noreply@ruangpulih.test>",
    });
    try {
      const res = await postForm(h, "/register", {
        name: "Sinta Smtp",
        gender: "female",
        birthDate: "1998-08-08",
        email: "sinta@smtp.test",
        password: "kirim-lewat-smtp",
      }, {
        headers: { "accept-language": "en" },
      });
      assert.equal(res.status, 303);
      assert.equal(
        res.headers.get("location"),
        "/verify?email=sinta%40smtp.test",
        "mail accepted by the server (no mail=failed)",
      );
      const msg = await sink.next();
      assert.deepEqual(msg.rcpt_tos, ["sinta@smtp.test"]);
      assert.equal(msg.mail_from, "noreply@ruangpulih.test");
      assert.match(msg.from, /RuangPulih Test/);
      assert.match(
        msg.subject,
        /Your RuangPulih verification code: \d{6}/,
        "English, the language of the request",
      );
      assert.match(msg.html, /<html lang="en">/);
      assert.match(msg.text, /Hello Sinta Smtp,/);
      const code = codeFromText(msg.text);
      assert.ok(code, "code in the text part");
      assert.ok(msg.html.includes(code!), "same code in the HTML part");

      // Nothing went to the KV outbox.
      const outbox = await (await get(h, `/dev/outbox?format=json&key=${outboxKey()}`)).json();
      assert.equal(outbox.items.length, 0);

      const verified = await postForm(h, "/verify", {
        email: "sinta@smtp.test",
        code: code!,
      });
      assert.equal(verified.status, 303);
      assert.equal(verified.headers.get("location"), "/home");
      assert.ok(cookieFrom(verified));
      assert.equal((await getUserByEmail("sinta@smtp.test"))?.status, "active");

      // A forgotten-password code goes through SMTP as well (sent in the background).
      const forgot = await postForm(h, "/forgot", { email: "sinta@smtp.test" });
      assert.equal(forgot.status, 303);
      const reset = await sink.next();
      assert.match(reset.subject, /Password reset code: \d{6}/);
    } finally {
      restore();
      await sink.stop();
    }
  },
});

Deno.test({
  name: "an unreachable SMTP server never loses a registration (no 500, resend offered)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await freshKv();
    const h = await appHandler();
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    const restore = withEnv({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      LOG_LEVEL: "error",
    });
    try {
      const res = await postForm(h, "/register", {
        name: "Tono",
        gender: "male",
        birthDate: "1990-01-01",
        email: "tono@down.test",
        password: "server-mati-lagi",
      });
      assert.equal(res.status, 303);
      assert.equal(
        res.headers.get("location"),
        "/verify?email=tono%40down.test&mail=failed",
      );
      assert.equal((await getUserByEmail("tono@down.test"))?.status, "pending");
      const page = await (await get(h, res.headers.get("location")!)).text();
      assert.match(page, /E-mail tidak dapat dikirim saat ini/);
    } finally {
      restore();
    }
  },
});

Deno.test({
  name: "a server that greets and then stalls fails the send (bounded socket timeout) instead of hanging it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await freshKv();
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    const held: Deno.Conn[] = [];
    const accept = (async () => {
      for await (const c of l) {
        held.push(c);
        await c.write(new TextEncoder().encode("220 stall.test ESMTP\r\n"));
      }
    })();
    // The query sets a short socket timeout for the test; without one, SMTP_TIMEOUTS_MS applies (60 s, not 10 min).
    const restore = withEnv({ SMTP_URL: `smtp://127.0.0.1:${port}?socketTimeout=400`, LOG_LEVEL: "error" });
    try {
      assert.equal(SMTP_TIMEOUTS_MS.socketTimeout, 60_000);
      await assert.rejects(
        sendMail({ to: "a@stall.test", subject: "s", html: "<p>x</p>", text: "x" }),
        (e: Error) => /timeout/i.test(e.message) || (e as { code?: string }).code === "ETIMEDOUT",
      );
    } finally {
      restore();
      l.close();
      for (const c of held) c.close();
      await accept.catch(() => {});
    }
  },
});
