/**
 * Mail of the accounts capability: rendering + sending, either awaited
 * (`sendAccountMail`, when the caller reports `mailSent`) or in the
 * background (`queueAccountMail`, when the answer must not depend on whether
 * or how fast a mail goes out: forgotten password, code resends).
 *
 * Background sends are tracked in memory so a process can wait for them
 * (`accountMailIdle`, used by tests and at shutdown); a failure is logged
 * (`mail_failed`) and never reaches the request that queued it.
 */
import type { Lang } from "@/lib/i18n/mod.ts";
import { log } from "@/lib/log.ts";
import { sendMail } from "@/lib/mail/mod.ts";
import { type MailKind, type MailParams, renderMail } from "@/lib/mail/templates.ts";
import { OTP_TTL_MS } from "./otp.ts";

/** Minutes a code stays valid (for mail text). */
export const OTP_MINUTES = Math.round(OTP_TTL_MS / 60000);

/**
 * Renders and sends an accounts mail; returns false (and logs) when the
 * transport fails, so a flaky SMTP server never loses already-saved data.
 */
export async function sendAccountMail<K extends MailKind>(
  kind: K,
  lang: Lang,
  to: string,
  params: MailParams[K],
): Promise<boolean> {
  try {
    await sendMail(renderMail(kind, lang, to, params));
    return true;
  } catch (err) {
    log("error", "mail_failed", { kind, error: String(err) });
    return false;
  }
}

/** One queued mail, or null for "nothing to send" (the same queue step either way). */
export type AccountMailJob = {
  [K in MailKind]: { kind: K; lang: Lang; to: string; params: MailParams[K] };
}[MailKind];

const inFlight = new Set<Promise<unknown>>();

/**
 * Sends `job` in the background (fire-and-forget, errors logged by
 * `sendAccountMail`) and returns at once. `null` queues an empty step, so a
 * caller can take the same path whether or not there is someone to mail.
 */
export function queueAccountMail(job: AccountMailJob | null): void {
  const p: Promise<unknown> = Promise.resolve().then(() =>
    job ? sendAccountMail(job.kind, job.lang, job.to, job.params as never) : false
  );
  inFlight.add(p);
  p.finally(() => inFlight.delete(p));
}

/** Resolves when every mail queued so far has been sent (or has failed and been logged). */
export async function accountMailIdle(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}
