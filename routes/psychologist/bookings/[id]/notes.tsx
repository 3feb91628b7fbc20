import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { AppError, ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import type { User } from "@/lib/auth/users.ts";
import type { FieldMessage } from "@/lib/errors.ts";
import { notesFormAction, notesPageData } from "@/lib/notes/http.ts";
import { MAX_FIELD_CHARS, MAX_REASON_CHARS, NOTE_FIELDS, type NoteContent } from "@/lib/notes/model.ts";
import { Badge, Card, ConfirmStep, Facts, FormAlert, PageHeader, TextAreaField } from "@/components/ui.tsx";
import { whenText } from "@/components/booking/ui.tsx";
import type { T } from "@/lib/i18n/mod.ts";

const DONE = ["saved", "amended", "unchanged", "signed"];

async function load(user: User, id: string) {
  return await notesPageData(user, id);
}

/**
 * `/psychologist/bookings/:id/notes` — the session notes of one booking for
 * its psychologist (docs/domain-rules.md "Session notes"): the four SOAP fields and the private
 * note, Save, "Lock & sign" with a confirmation step, then amendments with a
 * reason, and the version history. Plain forms, no JavaScript needed. Every
 * view of this page is an audited read (`lib/notes/store.ts`).
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "notes");
    const d = await load(user, ctx.params.id);
    ctx.state.title = translate(ctx.state.lang, "notes.title");
    return page({
      ...d,
      done: ctx.url.searchParams.get("done"),
      confirmSign: ctx.url.searchParams.get("confirm") === "sign" && d.notes.status === "draft" && d.notes.writable,
      error: null as string | null,
      errors: {} as Record<string, FieldMessage>,
      values: null as Record<string, string> | null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "notes");
    const body = await readBody(ctx.req);
    try {
      const r = await notesFormAction(user, ctx.params.id, body);
      const q = "confirm" in r ? "confirm=sign#confirm" : `done=${r.done}`;
      return ctx.redirect(`/psychologist/bookings/${ctx.params.id}/notes?${q}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.status === 403) throw err;
      const d = await load(user, ctx.params.id);
      ctx.state.title = translate(ctx.state.lang, "notes.title");
      const values = Object.fromEntries(
        [...NOTE_FIELDS, "reason"].map((k) => [k, typeof body[k] === "string" ? body[k] as string : ""]),
      );
      return page({
        ...d,
        done: null,
        confirmSign: false,
        error: translate(ctx.state.lang, err.messageKey, err.params),
        errors: err instanceof ValidationError ? err.messages() : {},
        values,
      }, { status: err.status });
    }
  },
});

/** The five text fields of the form, prefilled with `values`. */
function NoteFields(
  { t, values, errors }: { t: T; values: Record<string, string>; errors: Record<string, FieldMessage> },
) {
  return (
    <>
      {NOTE_FIELDS.map((f) => (
        <TextAreaField
          key={f}
          name={f}
          label={t(`notes.field.${f}`)}
          hint={t(`notes.field.${f}_hint`)}
          t={t}
          errors={errors}
          value={values[f] ?? ""}
          rows={f === "private" ? 4 : 5}
          maxLength={MAX_FIELD_CHARS}
        />
      ))}
    </>
  );
}

/** One version's text as label/value pairs (line breaks kept). */
function ContentFacts({ c, t }: { c: NoteContent; t: T }) {
  return (
    <Facts
      items={NOTE_FIELDS.map((f) => [
        t(`notes.field.${f}`),
        <span key={f} class="note-text">{c[f] || t("notes.empty_field")}</span>,
      ])}
    />
  );
}

export default define.page<typeof handler>(function NotesPage({ data, state }) {
  const { t, lang } = state;
  const { booking: b, notes: n } = data;
  const tz = b.timeZone;
  const at = (iso: string) => `${formatDateTime(iso, lang, tz)} (${tz})`;
  const cur = n.current;
  const values: Record<string, string> = data.values ??
    Object.fromEntries([...NOTE_FIELDS.map((f) => [f, cur?.[f] ?? ""]), ["reason", ""]]);
  const tone = n.status === "signed" ? "success" : n.status === "draft" ? "warning" : "neutral";
  const self = `/psychologist/bookings/${b.id}/notes`;
  return (
    <div class="booking-page notes-page">
      <p class="back-link">
        <a href={`/psychologist/bookings/${b.id}`}>← {t("notes.back")}</a>
      </p>
      <PageHeader title={t("notes.title")} subtitle={`${b.clientName} · ${whenText(b, lang, tz)}`}>
        <Badge tone={tone}>
          {n.status === "signed" && n.signedAt
            ? t("notes.signed_at", { time: at(n.signedAt) })
            : t(`notes.status.${n.status}`)}
        </Badge>
      </PageHeader>
      <p class="hint">{t("notes.privacy")}</p>
      {data.done && DONE.includes(data.done)
        ? <FormAlert kind="success" message={t(`notes.done.${data.done}`)} />
        : null}
      <FormAlert message={data.error} />
      {data.confirmSign
        ? (
          <ConfirmStep
            title={t("notes.sign_title")}
            body={t("notes.sign_body")}
            submitLabel={t("notes.sign_yes")}
            backHref={self}
            backLabel={t("notes.sign_no")}
            fields={{ action: "sign" }}
          />
        )
        : null}
      {!n.writable && n.status === "empty"
        ? (
          <FormAlert
            kind="info"
            message={["confirmed", "in_session", "completed", "no_show"].includes(b.status)
              ? t("notes.not_yet", { time: at(b.startsAt) })
              : t("notes.no_session")}
          />
        )
        : null}
      {n.writable && n.status !== "signed"
        ? (
          <Card title={t("notes.soap_title")}>
            <form method="post" action={self}>
              <NoteFields t={t} values={values} errors={data.errors} />
              <div class="status-actions">
                <button type="submit" name="action" value="save" class="btn">{t("notes.save")}</button>
                <button type="submit" name="action" value="sign_ask" class="btn btn-secondary">
                  {t("notes.sign")}
                </button>
              </div>
            </form>
          </Card>
        )
        : null}
      {n.status === "signed" && n.writable
        ? (
          <Card title={t("notes.amend_title")}>
            <p class="hint">{t("notes.amend_hint")}</p>
            <form method="post" action={self}>
              <input type="hidden" name="action" value="save" />
              <NoteFields t={t} values={values} errors={data.errors} />
              <TextAreaField
                name="reason"
                label={t("notes.field.reason")}
                t={t}
                errors={data.errors}
                value={values.reason}
                rows={2}
                maxLength={MAX_REASON_CHARS}
                required
              />
              <button type="submit" class="btn">{t("notes.amend")}</button>
            </form>
          </Card>
        )
        : null}
      {n.versions.length
        ? (
          <Card title={t("notes.history")}>
            {n.versions.map((v, i) => (
              <details key={v.version} class="note-version" open={i === 0 && !(n.writable && n.status !== "signed")}>
                <summary>
                  {t("notes.version", { n: v.version })} · {t(`notes.kind.${v.kind}`)} · {at(v.at)}
                </summary>
                {v.reason ? <p class="hint">{t("notes.version_reason", { reason: v.reason })}</p> : null}
                <ContentFacts c={v.content} t={t} />
              </details>
            ))}
          </Card>
        )
        : null}
    </div>
  );
});
