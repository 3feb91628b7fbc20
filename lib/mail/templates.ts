/**
 * Mail templates of the accounts capability, in both languages (HTML + text).
 * Every string comes from the i18n dictionaries (`mail.<kind>.*` keys in
 * `lib/i18n/auth.ts`); parameters are HTML-escaped in the HTML part.
 */
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { config } from "@/lib/config.ts";
import type { Mail } from "./mod.ts";

/** The kinds of mail and their parameters. */
export interface MailParams {
  /** Registration e-mail verification code. */
  register_otp: { name: string; code: string; minutes: number };
  /** Code confirming a new e-mail address. */
  email_change_otp: { name: string; code: string; minutes: number };
  /** Forgotten-password code. */
  reset_otp: { name: string; code: string; minutes: number };
  /** Notice to the old address after an e-mail change. */
  email_changed: { name: string; email: string };
  /** Staff account created by an admin, with a temporary password. */
  staff_welcome: {
    name: string;
    email: string;
    password: string;
    role: string;
  };
  /** Temporary password after an admin reset. */
  admin_reset: { name: string; password: string };
  /** Notice to an account's address that someone tried to register it again (no account is created). */
  register_taken: { name: string };
  /** A psychologist's application was approved (`lib/psychologists/applications.ts`). */
  psy_application_approved: { name: string };
  /** A psychologist's application was rejected, with the admin's reason. */
  psy_application_rejected: { name: string; reason: string };
}
export type MailKind = keyof MailParams;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}

/**
 * Renders mail `kind` for `to` in `lang`. The text part and the HTML part
 * carry the same paragraphs; a code or password is shown on its own line.
 */
export function renderMail<K extends MailKind>(
  kind: K,
  lang: Lang,
  to: string,
  params: MailParams[K],
): Mail {
  const p = {
    ...params,
    url: config.baseUrl,
    app: translate(lang, "app.name"),
  } as Record<string, string | number>;
  if (kind === "staff_welcome") {
    p.role = translate(
      lang,
      `role.${params && (params as MailParams["staff_welcome"]).role}`,
    );
  }
  const t = (k: string) => translate(lang, `mail.${kind}.${k}`, p);
  const subject = t("subject");
  const paragraphs = t("body").split("\n\n");
  const secret = "code" in p ? String(p.code) : "password" in p ? String(p.password) : null;
  const footer = translate(lang, "mail.footer", p);

  const text = [
    translate(lang, "mail.greeting", p),
    "",
    ...paragraphs.flatMap((x) => [x, ""]),
    ...(secret ? [`    ${secret}`, ""] : []),
    ...(kind.endsWith("_otp") ? [translate(lang, "mail.ignore", p), ""] : []),
    "--",
    footer,
  ].join("\n");

  const esc = (s: string) => escapeHtml(s);
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${
    esc(subject)
  }</title></head>
<body style="margin:0;padding:24px;background:#f4f7f6;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2d2a">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border-radius:12px;padding:24px">
<p style="margin:0 0 16px;font-weight:600;color:#2f6f62">${esc(String(p.app))}</p>
<p>${esc(translate(lang, "mail.greeting", p))}</p>
${paragraphs.map((x) => `<p>${esc(x)}</p>`).join("\n")}
${
    secret
      ? `<p style="font-size:28px;letter-spacing:4px;font-weight:700;font-family:ui-monospace,monospace;margin:24px 0">${
        esc(secret)
      }</p>`
      : ""
  }
${kind.endsWith("_otp") ? `<p style="color:#5b6b67;font-size:14px">${esc(translate(lang, "mail.ignore", p))}</p>` : ""}
<hr style="border:none;border-top:1px solid #dde5e3;margin:24px 0">
<p style="color:#5b6b67;font-size:13px">${esc(footer)}</p>
</div></body></html>`;
  return { to, subject, html, text };
}
