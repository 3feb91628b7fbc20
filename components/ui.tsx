/**
 * Shared server-rendered UI pieces: form fields with inline translated errors,
 * page headers, cards, pagination, empty states, the confirmation step.
 * Styles in `static/components.css` (docs/ui.md).
 */
import type { ComponentChildren, JSX } from "preact";
import type { T } from "@/lib/i18n/mod.ts";
import type { FieldMessage } from "@/lib/errors.ts";

/**
 * Field errors as `ValidationError.messages()` returns them: field name → i18n
 * key, or key plus interpolation values (`{ key: "field.too_long", params: { max: 100 } }`).
 */
export type FieldErrors = Record<string, FieldMessage>;

/** The translated text of one field error (placeholders filled from its params). */
export function errorText(t: T, err: FieldMessage): string {
  return typeof err === "string" ? t(err) : t(err.key, err.params);
}

interface FieldBase {
  name: string;
  label: string;
  t: T;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
}

function errorId(name: string) {
  return `err-${name}`;
}

function FieldShell(
  { name, label, t, errors, hint, required, children }: FieldBase & { children: ComponentChildren },
) {
  const err = errors?.[name];
  return (
    <div class={`field${err ? " has-error" : ""}`}>
      <label for={`f-${name}`}>
        {label}
        {required ? <span class="req" aria-hidden="true">*</span> : null}
      </label>
      {children}
      {hint ? <p class="hint" id={`hint-${name}`}>{hint}</p> : null}
      {err ? <p class="field-error" id={errorId(name)}>{errorText(t, err)}</p> : null}
    </div>
  );
}

/** A labelled `<input>` with its inline error. */
export function Field(
  props: FieldBase & {
    type?: string;
    value?: string | null;
    autocomplete?: string;
    inputmode?: string;
    min?: string;
    max?: string;
    maxLength?: number;
    placeholder?: string;
    autofocus?: boolean;
  },
) {
  const err = props.errors?.[props.name];
  const describedBy =
    [err ? errorId(props.name) : "", props.hint ? `hint-${props.name}` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <FieldShell {...props}>
      <input
        id={`f-${props.name}`}
        name={props.name}
        type={props.type ?? "text"}
        value={props.type === "password" ? undefined : props.value ?? ""}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode as JSX.HTMLAttributes["inputMode"]}
        min={props.min}
        max={props.max}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        required={props.required}
        autoFocus={props.autofocus}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={describedBy}
      />
    </FieldShell>
  );
}

/** A labelled `<select>`; `options` are `[value, label]` pairs. */
export function SelectField(props: FieldBase & { value?: string | null; options: [string, string][] }) {
  const err = props.errors?.[props.name];
  return (
    <FieldShell {...props}>
      <select
        id={`f-${props.name}`}
        name={props.name}
        required={props.required}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={err ? errorId(props.name) : undefined}
      >
        {props.options.map(([v, l]) => <option key={v} value={v} selected={v === (props.value ?? "")}>{l}</option>)}
      </select>
    </FieldShell>
  );
}

/** A labelled `<textarea>`. */
export function TextAreaField(props: FieldBase & { value?: string | null; rows?: number; maxLength?: number }) {
  const err = props.errors?.[props.name];
  return (
    <FieldShell {...props}>
      <textarea
        id={`f-${props.name}`}
        name={props.name}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={err ? "true" : undefined}
        aria-describedby={err ? errorId(props.name) : undefined}
      >
        {props.value ?? ""}
      </textarea>
    </FieldShell>
  );
}

/** A summary box shown above a form when it has errors (or a general message). */
export function FormAlert(
  { message, kind = "error" }: { message?: string | null; kind?: "error" | "success" | "info" },
) {
  if (!message) return null;
  return <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>{message}</div>;
}

/** Page heading with optional actions on the right. */
export function PageHeader(
  { title, subtitle, children }: { title: string; subtitle?: string; children?: ComponentChildren },
) {
  return (
    <div class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p class="muted">{subtitle}</p> : null}
      </div>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}

/** A white rounded panel. */
export function Card({ title, children, class: cls }: { title?: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${cls ?? ""}`}>
      {title ? <h2 class="card-title">{title}</h2> : null}
      {children}
    </section>
  );
}

/** "Next page" link for cursor pagination; keeps the other query parameters. */
export function Pagination({ url, cursor, t }: { url: URL; cursor: string | null; t: T }) {
  if (!cursor) return null;
  const next = new URL(url);
  next.searchParams.set("cursor", cursor);
  return (
    <nav class="pagination" aria-label="pagination">
      <a class="btn btn-secondary" href={next.pathname + next.search}>{t("common.next")} →</a>
    </nav>
  );
}

/** Shown when a list is empty. */
export function Empty({ t, message }: { t: T; message?: string }) {
  return <p class="empty">{message ?? t("common.none")}</p>;
}

/** A small coloured status label. `tone` picks the colour. */
export function Badge(
  { tone = "neutral", children }: {
    tone?: "neutral" | "info" | "success" | "warning" | "danger";
    children: ComponentChildren;
  },
) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/**
 * The confirmation step of a destructive action, working without JavaScript:
 * the action's button is a link to the same page with `?confirm=<action>`,
 * which renders this card; its danger button posts `fields` plus `confirm=1`
 * to `action`, its second button goes back to `backHref` unchanged
 * (docs/ui.md, "Destructive actions").
 */
export function ConfirmStep(
  { title, body, submitLabel, backHref, backLabel, action, fields }: {
    title: string;
    body: string;
    submitLabel: string;
    backHref: string;
    backLabel: string;
    /** URL the form posts to (default: the current page). */
    action?: string;
    /** Hidden fields of the form, e.g. `{ action: "cancel" }`. */
    fields: Record<string, string>;
  },
) {
  return (
    <section class="card confirm-step" id="confirm" aria-labelledby="confirm-title" data-testid="confirm-step">
      <h2 id="confirm-title" class="confirm-title">{title}</h2>
      <p>{body}</p>
      <form method="post" action={action} class="confirm-actions">
        {Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class="btn btn-danger">{submitLabel}</button>
        <a class="btn btn-secondary" href={backHref}>{backLabel}</a>
      </form>
    </section>
  );
}

/** Definition list of label/value pairs (appointment facts). */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([k, v]) => (
        <div class="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
