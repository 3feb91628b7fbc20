/**
 * Presentational pieces of the accounts pages (server-rendered, no JS). The
 * `page()` data their form handlers return (`formPage`, `failedForm`) is in
 * `lib/auth/views.tsx`; their form fields are in `components/auth/fields.tsx`.
 */
import type { ComponentChildren } from "preact";
import type { T } from "@/lib/i18n/mod.ts";
import { FormAlert } from "@/components/ui.tsx";
import type { Msg } from "@/lib/auth/web.ts";

/** A narrow centred card for the sign-in/registration family of pages. */
export function AuthCard(
  { title, intro, children }: {
    title: string;
    intro?: string;
    children: ComponentChildren;
  },
) {
  return (
    <section class="card narrow auth-card" aria-labelledby="auth-title">
      <h1 id="auth-title">{title}</h1>
      {intro ? <p class="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

/** Renders a `Msg` (translated) as an alert box. */
export function MsgAlert({ msg, t }: { msg: Msg | null | undefined; t: T }) {
  if (!msg) return null;
  return <FormAlert message={t(msg.key, msg.params)} kind={msg.kind ?? "error"} />;
}

/** A hidden input. */
export function Hidden(
  { name, value }: { name: string; value: string | null | undefined },
) {
  return <input type="hidden" name={name} value={value ?? ""} />;
}
