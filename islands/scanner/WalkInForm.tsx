/**
 * The walk-in form of the scan screen (docs/domain-rules.md "Walk-in"): guest, purpose and a
 * teacher picked from a filterable list; `POST /api/appointments/walk-in`
 * checks the guest in at once. A component of the `QrScanner` island (not an
 * island itself: only top-level files of islands/ are).
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { toRow } from "@/components/frontdesk/format.ts";

/** A translated string by key (the island's `strings`). */
export type Strings = (k: string, p?: Record<string, string | number>) => string;

/** Walk-in registration (docs/domain-rules.md "Walk-in"): `POST /api/appointments/walk-in`, checked in at once. */
export function WalkInForm(
  { teachers, s, onDone }: {
    teachers: { id: string; name: string }[];
    s: Strings;
    onDone: (a: unknown) => void;
  },
) {
  const empty = { guestName: "", guestPhone: "", guestEmail: "", purpose: "", teacherId: "" };
  const [v, setV] = useState(empty);
  const [filter, setFilter] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<{ kind: "success" | "error"; text: string; password?: string } | null>(null);
  const [sending, setSending] = useState(false);
  const f = filter.trim().toLowerCase();
  const shown = f ? teachers.filter((t) => t.name.toLowerCase().includes(f)) : teachers;

  function set(k: keyof typeof empty) {
    return (e: Event) => setV((cur) => ({ ...cur, [k]: (e.target as HTMLInputElement).value }));
  }

  function onFilter(e: Event) {
    const q = (e.target as HTMLInputElement).value;
    setFilter(q);
    const m = teachers.filter((t) => t.name.toLowerCase().includes(q.trim().toLowerCase()));
    if (m.length === 1 || (m.length && !m.some((t) => t.id === v.teacherId))) {
      setV((cur) => ({ ...cur, teacherId: m[0].id }));
    }
  }

  async function submit(e: JSX.TargetedEvent<HTMLFormElement>) {
    e.preventDefault();
    setSending(true);
    setMsg(null);
    setErrors({});
    try {
      const res = await fetch("/api/appointments/walk-in", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...v, guestEmail: v.guestEmail.trim() || undefined }),
      });
      const body = await res.json().catch(() => null) as Record<string, any> | null;
      if (res.ok && body?.appointment) {
        const a = toRow(body.appointment);
        setMsg({
          kind: "success",
          text: s("fd.walkin.done", { name: a?.guestName ?? v.guestName, teacher: a?.teacherName ?? "" }),
          password: body.guestPassword ?? undefined,
        });
        setV(empty);
        setFilter("");
        onDone(body.appointment);
        return;
      }
      const err = body?.error as { message?: string; fields?: Record<string, string> } | undefined;
      if (err?.fields) setErrors(err.fields);
      setMsg({ kind: "error", text: err?.message ?? s("fd.walkin.error") });
    } catch {
      setMsg({ kind: "error", text: s("fd.scan.network_error") });
    } finally {
      setSending(false);
    }
  }

  const field = (name: keyof typeof empty, label: string, extra: Record<string, unknown> = {}) => (
    <div class={`field${errors[name] ? " has-error" : ""}`}>
      <label for={`wi-${name}`}>
        {label}
        {extra.required ? <span class="req" aria-hidden="true">*</span> : null}
      </label>
      <input
        id={`wi-${name}`}
        name={name}
        value={v[name]}
        onInput={set(name)}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `wi-${name}-err` : undefined}
        {...extra}
      />
      {errors[name] ? <p class="field-error" id={`wi-${name}-err`}>{errors[name]}</p> : null}
    </div>
  );

  return (
    <section class="card scan-walkin" aria-labelledby="walkin-title">
      <details open={false}>
        <summary>
          <h2 id="walkin-title" class="card-title">{s("fd.walkin.title")}</h2>
        </summary>
        <p class="muted">{s("fd.walkin.intro")}</p>
        <form data-testid="walkin-form" onSubmit={submit} novalidate>
          {msg
            ? (
              <div class={`alert alert-${msg.kind}`} role={msg.kind === "error" ? "alert" : "status"}>
                {msg.text}
                {msg.password
                  ? (
                    <p class="walkin-password">
                      {s("fd.walkin.password")} <strong>{msg.password}</strong>
                    </p>
                  )
                  : null}
              </div>
            )
            : null}
          {field("guestName", s("fd.walkin.guest_name"), { required: true, maxLength: 100, autocomplete: "off" })}
          {field("guestPhone", s("fd.walkin.guest_phone"), {
            required: true,
            type: "tel",
            inputMode: "tel",
            maxLength: 40,
            autocomplete: "off",
          })}
          {field("guestEmail", s("fd.walkin.guest_email"), { type: "email", maxLength: 254, autocomplete: "off" })}
          {field("purpose", s("fd.walkin.purpose"), { required: true, maxLength: 500, autocomplete: "off" })}
          <div class={`field${errors.teacherId ? " has-error" : ""}`}>
            <label for="wi-teacherId">
              {s("fd.walkin.teacher")}
              <span class="req" aria-hidden="true">*</span>
            </label>
            <input
              type="search"
              class="input teacher-filter"
              placeholder={s("fd.walkin.teacher_filter")}
              aria-label={s("fd.walkin.teacher_filter")}
              value={filter}
              onInput={onFilter}
            />
            <select
              id="wi-teacherId"
              name="teacherId"
              value={v.teacherId}
              onChange={set("teacherId")}
              required
              aria-invalid={errors.teacherId ? "true" : undefined}
              aria-describedby={errors.teacherId ? "wi-teacherId-err" : undefined}
            >
              <option value="">{shown.length ? s("fd.walkin.teacher_choose") : s("fd.walkin.teacher_none")}</option>
              {shown.map((t) => <option value={t.id} key={t.id}>{t.name}</option>)}
            </select>
            {errors.teacherId ? <p class="field-error" id="wi-teacherId-err">{errors.teacherId}</p> : null}
          </div>
          <button type="submit" class="btn btn-lg" disabled={sending}>{s("fd.walkin.submit")}</button>
        </form>
      </details>
    </section>
  );
}
