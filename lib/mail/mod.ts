/**
 * Outgoing mail.
 *
 * With `SMTP_URL` set (e.g. `smtp://user:pass@mail.example:587`,
 * `smtps://…:465`), mail goes through nodemailer's SMTP transport from
 * `MAIL_FROM`. Without it, mail is kept in a KV outbox that development and
 * test modes show at `/dev/outbox`, so the OTP flows work on a laptop.
 *
 * The outbox holds one-time codes and temporary passwords, so reading it is a
 * privilege (OWASP ASVS 4.0.3 V4.1: access control enforced on the server;
 * V14.3: no debug features open to the public): signed-in admins, or whoever
 * holds the console link `/dev/outbox?key=…` whose key is random per process
 * start ({@link outboxAccess}). Mail contents are never logged.
 *
 * Key layout: `["outbox", id]` → `OutboxMail` (expires after 7 days).
 */
import nodemailer from "nodemailer";
import { config } from "@/lib/config.ts";
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Forbidden, NotFound } from "@/lib/errors.ts";
import { stringsEqual, toBase64Url } from "@/lib/crypto/encoding.ts";
import { log } from "@/lib/log.ts";
import type { User } from "@/lib/auth/users.ts";

/** Top-level KV key prefixes owned by mail: the development outbox. */
export const MAIL_PREFIXES: readonly string[] = ["outbox"];

/** A message to send. `html` and `text` carry the same content. */
export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** A stored outbox mail. `at` is an ISO 8601 UTC instant. */
export interface OutboxMail extends Mail {
  schemaVersion: 1;
  id: string;
  from: string;
  at: string;
}

/** How long outbox mails are kept (ms). */
const OUTBOX_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Bounds of one SMTP send (ms; nodemailer's `connectionTimeout`,
 * `greetingTimeout`, `socketTimeout`, whose defaults are 2 min, 30 s and
 * 10 min). A server that accepts the connection and then stalls fails the
 * send within about 1.5 min instead of 10, well inside the reminder claim's
 * 10-minute lease (docs/domain-rules.md, Reminders), so a hung send is not
 * taken over and mailed twice. Timeouts given in `SMTP_URL`'s query win.
 */
export const SMTP_TIMEOUTS_MS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as const;

type Transport = { sendMail(m: Record<string, unknown>): Promise<unknown>; options?: Record<string, unknown> };
let transport: { url: string; t: Transport } | null = null;

function smtpTransport(url: string): Transport {
  if (transport?.url !== url) {
    transport = {
      url,
      t: nodemailer.createTransport({ ...SMTP_TIMEOUTS_MS, url }) as unknown as Transport,
    };
  }
  return transport.t;
}

/**
 * Sends one mail: through SMTP when `SMTP_URL` is set, else into the KV
 * outbox. Resolves when the SMTP server accepted it (or it is stored).
 * @throws the transport's error when the SMTP server refuses or is unreachable.
 */
export async function sendMail(
  mail: Mail,
): Promise<{ id: string; via: "smtp" | "outbox" }> {
  const url = config.smtpUrl;
  const from = config.mailFrom;
  const id = newId();
  if (url) {
    await smtpTransport(url).sendMail({
      from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    log("debug", "mail sent", { id, via: "smtp" });
    return { id, via: "smtp" };
  }
  const kv = await getKv();
  const stored: OutboxMail = {
    schemaVersion: 1,
    id,
    from,
    at: new Date().toISOString(),
    ...pick(mail),
  };
  await kv.set(["outbox", id], stored, { expireIn: OUTBOX_TTL_MS });
  log("debug", "mail stored in the outbox", { id, via: "outbox" });
  return { id, via: "outbox" };
}

function pick(m: Mail): Mail {
  return { to: m.to, subject: m.subject, html: m.html, text: m.text };
}

/** True when mail goes to the KV outbox (no `SMTP_URL`). */
export function usesOutbox(): boolean {
  return !config.smtpUrl;
}

/** Lists outbox mails, newest first (optionally only those to `to`). */
export async function listOutbox(
  opts: { to?: string; cursor?: string | null; limit?: number } = {},
): Promise<Page<OutboxMail>> {
  const kv = await getKv();
  if (!opts.to) {
    return await listPage<OutboxMail>(kv, { prefix: ["outbox"] }, {
      cursor: opts.cursor,
      limit: opts.limit,
      reverse: true,
    });
  }
  const to = opts.to.trim().toLowerCase();
  const items: OutboxMail[] = [];
  const limit = Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 20)));
  for await (
    const e of kv.list<OutboxMail>({ prefix: ["outbox"] }, { reverse: true })
  ) {
    if (e.value.to.toLowerCase() === to) items.push(e.value);
    if (items.length >= limit) break;
  }
  return { items, cursor: null };
}

/** The newest outbox mail to `to`, or null (tests and the dev outbox page). */
export async function lastMailTo(to: string): Promise<OutboxMail | null> {
  return (await listOutbox({ to, limit: 1 })).items[0] ?? null;
}

/** Finds the first 6-digit code in a mail's text (tests, dev tooling). */
export function codeFromText(text: string): string | null {
  return text.match(/\b(\d{6})\b/)?.[1] ?? null;
}

let consoleKey: string | null = null;

/**
 * The secret of the console outbox link: 32 random bytes as base64url,
 * generated on first use and kept in memory only, so a new one comes with
 * every process start.
 */
export function outboxKey(): string {
  if (!consoleKey) {
    consoleKey = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  }
  return consoleKey;
}

/**
 * The link `serve()` prints on the console (`BASE_URL/dev/outbox?key=…`), or
 * null when there is no outbox to read (SMTP configured, or production mode).
 */
export function outboxConsoleUrl(): string | null {
  if (!usesOutbox() || config.mode === "production") return null;
  return `${config.baseUrl}/dev/outbox?key=${outboxKey()}`;
}

/**
 * Decides who may read `/dev/outbox`. Returns normally when allowed:
 * a `key` equal to {@link outboxKey} (compared in constant time), or a
 * signed-in active admin. Otherwise throws:
 * - `NotFound` in production mode, for a wrong `key`, and for anonymous
 *   callers (the page does not reveal that it exists);
 * - `Forbidden` for a signed-in user who is not an admin.
 */
export function outboxAccess(user: User | null, key: string | null): void {
  if (config.mode === "production") throw new NotFound();
  if (key !== null) {
    if (key.length > 0 && key.length <= 100 && stringsEqual(key, outboxKey())) return;
    throw new NotFound();
  }
  if (!user || user.status !== "active") throw new NotFound();
  if (user.role !== "admin") throw new Forbidden();
}
