import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { enforceUploadLimit } from "@/lib/files/store.ts";
import { discardBody, parseInput, readBody, readFormData } from "@/lib/validation.ts";
import { EMOTIONS, STYLES, THEMES } from "@/lib/screening/model.ts";
import { activeStimuli, captionOf, MAX_CAPTION } from "@/lib/screening/stimuli.ts";
import {
  adminScreeningQuery,
  type AdminScreeningView,
  loadAdminScreening,
  submitMappingForm,
  submitSetForm,
  submitUploadForm,
  UPLOAD_FORM_MAX_BYTES,
} from "@/lib/screening/stimuli_form.ts";
import { Badge, Card, errorText, type FieldErrors, FormAlert, PageHeader } from "@/components/ui.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import type { T } from "@/lib/i18n/mod.ts";

type Form = "set" | "mapping" | "upload";
interface Data {
  view: AdminScreeningView;
  /** The form that failed, with what was sent and its errors. */
  failed: { form: Form; values: Record<string, string>; errors: FieldErrors } | null;
  message: Msg | null;
  done: Form | null;
  readOnly: boolean;
}

/**
 * `/admin/screening` (admin) — the screening's stimulus pictures and mapping table
 * (lib/screening/stimuli.ts): the current set as a table (thumbnail, theme, order, active,
 * captions) saved as a new version, an upload form (PNG/JPEG via the file store), the 14 × 7
 * mapping grid, and the version history (`?set=N` / `?mapping=N` show an old version, read only).
 * POST `action=set|mapping` (form) or `action=upload` (multipart); success redirects back with
 * `?done=…`, a refusal re-renders the form with its errors (400, 409 for a stale version).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "screening_admin");
    ctx.state.title = ctx.state.t("screening.admin.title");
    const q = parseInput(adminScreeningQuery, Object.fromEntries(ctx.url.searchParams));
    return page<Data>({
      view: await loadAdminScreening(q),
      failed: null,
      message: null,
      done: q.done ?? null,
      readOnly: Boolean(q.set || q.mapping),
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    addSheets(ctx.state, "screening_admin");
    ctx.state.title = ctx.state.t("screening.admin.title");
    const multipart = (ctx.req.headers.get("content-type") ?? "").toLowerCase().includes("multipart/form-data");
    let form: Form = "set";
    let values: Record<string, string> = {};
    try {
      if (multipart) {
        form = "upload";
        try {
          await enforceUploadLimit(admin);
        } catch (e) {
          await discardBody(ctx.req);
          throw e;
        }
        const data = await readFormData(ctx.req, UPLOAD_FORM_MAX_BYTES);
        for (const [k, v] of data.entries()) if (typeof v === "string") values[k] = v;
        await submitUploadForm(admin, data);
      } else {
        const body = await readBody(ctx.req);
        values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
        form = body.action === "mapping" ? "mapping" : "set";
        if (form === "mapping") await submitMappingForm(admin, body);
        else await submitSetForm(admin, body);
      }
      return seeOther(`/admin/screening?done=${form}`);
    } catch (err) {
      const f = formFailure(err);
      if (f.status >= 500) throw err;
      return page<Data>({
        view: await loadAdminScreening({}),
        failed: { form, values, errors: f.errors },
        message: f.message,
        done: null,
        readOnly: false,
      }, { status: f.status, headers: f.headers });
    }
  },
});

function CellError({ errors, name, t }: { errors: FieldErrors; name: string; t: T }) {
  const e = errors[name];
  return e ? <p class="field-error" id={`err-${name}`}>{errorText(t, e)}</p> : null;
}

function SetTable({ data, t, lang }: { data: Data; t: T; lang: "id" | "en" }) {
  const { view } = data;
  const set = view.set;
  const editable = !data.readOnly && set.version === view.currentSetVersion;
  const failed = data.failed?.form === "set" ? data.failed : null;
  const v = (name: string, fallback: string) => failed ? failed.values[name] ?? "" : fallback;
  const errors = failed?.errors ?? {};
  const active = new Set(activeStimuli(set).map((s) => s.id));
  const rows = [...set.items].sort((a, b) => Number(b.active) - Number(a.active) || a.order - b.order);
  const index = new Map(set.items.map((s, i) => [s.id, i]));
  return (
    <Card
      title={t("screening.admin.set_title", { version: set.version }) +
        (set.version === view.currentSetVersion ? ` (${t("screening.admin.set_current")})` : "")}
    >
      <p class="muted">{t("screening.admin.set_hint")}</p>
      {errors.items ? <FormAlert message={errorText(t, errors.items)} /> : null}
      <form method="post" action="/admin/screening" class="stimuli-form">
        <input type="hidden" name="action" value="set" />
        <input type="hidden" name="baseVersion" value={String(set.version)} />
        <div class="table-wrap">
          <table class="stimuli-table">
            <thead>
              <tr>
                <th scope="col">{t("screening.admin.col.picture")}</th>
                <th scope="col">{t("screening.admin.col.theme")}</th>
                <th scope="col">{t("screening.admin.col.order")}</th>
                <th scope="col">{t("screening.admin.col.active")}</th>
                <th scope="col">{t("screening.admin.col.caption_id")}</th>
                <th scope="col">{t("screening.admin.col.caption_en")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => {
                const i = index.get(s.id)!;
                const n = (f: string) => `items.${i}.${f}`;
                const isActive = failed ? failed.values[n("active")] !== undefined : active.has(s.id);
                return (
                  <tr class={s.active ? "" : "stimulus-inactive"} data-stimulus-id={s.id}>
                    <td data-label={t("screening.admin.col.picture")}>
                      <a href={s.imageUrl} target="_blank" rel="noopener">
                        <img
                          class="stimulus-thumb"
                          src={s.imageUrl}
                          alt={captionOf(s, lang)}
                          width={120}
                          height={90}
                          loading="lazy"
                        />
                      </a>
                      <input type="hidden" name={n("id")} value={s.id} />
                    </td>
                    <td data-label={t("screening.admin.col.theme")}>
                      <select name={n("theme")} aria-label={t("screening.admin.col.theme")} disabled={!editable}>
                        {THEMES.map((th) => (
                          <option value={th} selected={v(n("theme"), s.theme) === th}>
                            {t(`screening.stimuli.theme.${th}`)}
                          </option>
                        ))}
                      </select>
                      <CellError errors={errors} name={n("theme")} t={t} />
                    </td>
                    <td data-label={t("screening.admin.col.order")}>
                      <input
                        class="stimulus-order"
                        type="number"
                        name={n("order")}
                        min="1"
                        max="99"
                        value={v(n("order"), String(s.order))}
                        aria-label={t("screening.admin.col.order")}
                        disabled={!editable}
                      />
                      <CellError errors={errors} name={n("order")} t={t} />
                    </td>
                    <td data-label={t("screening.admin.col.active")}>
                      <input
                        type="checkbox"
                        name={n("active")}
                        value="on"
                        checked={isActive}
                        aria-label={t("screening.admin.col.active")}
                        disabled={!editable}
                      />
                    </td>
                    <td data-label={t("screening.admin.col.caption_id")}>
                      <textarea
                        name={n("captionId")}
                        rows={3}
                        maxLength={MAX_CAPTION}
                        aria-label={t("screening.admin.col.caption_id")}
                        disabled={!editable}
                      >
                        {v(n("captionId"), s.caption.id)}
                      </textarea>
                      <CellError errors={errors} name={n("captionId")} t={t} />
                    </td>
                    <td data-label={t("screening.admin.col.caption_en")}>
                      <textarea
                        name={n("captionEn")}
                        rows={3}
                        maxLength={MAX_CAPTION}
                        aria-label={t("screening.admin.col.caption_en")}
                        disabled={!editable}
                      >
                        {v(n("captionEn"), s.caption.en)}
                      </textarea>
                      <CellError errors={errors} name={n("captionEn")} t={t} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {editable
          ? (
            <button type="submit" class="btn">
              {t("screening.admin.save_set", { version: set.version + 1 })}
            </button>
          )
          : null}
      </form>
    </Card>
  );
}

function UploadForm({ data, t }: { data: Data; t: T }) {
  const failed = data.failed?.form === "upload" ? data.failed : null;
  const errors = failed?.errors ?? {};
  const v = (name: string, fallback = "") => failed?.values[name] ?? fallback;
  return (
    <Card title={t("screening.admin.upload_title")}>
      <p class="muted">{t("screening.admin.upload_hint")}</p>
      <form method="post" action="/admin/screening" enctype="multipart/form-data" class="stimuli-upload">
        <input type="hidden" name="action" value="upload" />
        <input type="hidden" name="baseVersion" value={String(data.view.currentSetVersion)} />
        <div class={`field${errors.file ? " has-error" : ""}`}>
          <label for="f-file">{t("screening.admin.file")}</label>
          <input id="f-file" type="file" name="file" accept="image/png,image/jpeg,image/svg+xml" required />
          <CellError errors={errors} name="file" t={t} />
        </div>
        <div class={`field${errors.theme ? " has-error" : ""}`}>
          <label for="f-theme">{t("screening.admin.col.theme")}</label>
          <select id="f-theme" name="theme">
            {THEMES.map((th) => (
              <option value={th} selected={v("theme") === th}>{t(`screening.stimuli.theme.${th}`)}</option>
            ))}
          </select>
          <CellError errors={errors} name="theme" t={t} />
        </div>
        <div class={`field${errors.captionId ? " has-error" : ""}`}>
          <label for="f-captionId">{t("screening.admin.col.caption_id")}</label>
          <input id="f-captionId" name="captionId" maxLength={MAX_CAPTION} value={v("captionId")} required />
          <CellError errors={errors} name="captionId" t={t} />
        </div>
        <div class={`field${errors.captionEn ? " has-error" : ""}`}>
          <label for="f-captionEn">{t("screening.admin.col.caption_en")}</label>
          <input id="f-captionEn" name="captionEn" maxLength={MAX_CAPTION} value={v("captionEn")} required />
          <CellError errors={errors} name="captionEn" t={t} />
        </div>
        <label class="check">
          <input type="checkbox" name="replace" value="on" checked={failed ? v("replace") === "on" : true} />{" "}
          {t("screening.admin.replace")}
        </label>
        <p>
          <button type="submit" class="btn">{t("screening.admin.upload")}</button>
        </p>
      </form>
    </Card>
  );
}

function MappingGrid({ data, t }: { data: Data; t: T }) {
  const { view } = data;
  const table = view.mapping;
  const editable = !data.readOnly && table.version === view.currentMappingVersion;
  const failed = data.failed?.form === "mapping" ? data.failed : null;
  const errors = failed?.errors ?? {};
  return (
    <Card
      title={t("screening.admin.mapping_title", { version: table.version }) +
        (table.version === view.currentMappingVersion ? ` (${t("screening.admin.set_current")})` : "")}
    >
      <p class="muted">{t("screening.admin.mapping_hint")}</p>
      <form method="post" action="/admin/screening">
        <input type="hidden" name="action" value="mapping" />
        <input type="hidden" name="baseVersion" value={String(table.version)} />
        <div class="table-wrap">
          <table class="mapping-grid">
            <thead>
              <tr>
                <th scope="col">{t("screening.admin.col.theme")}</th>
                {EMOTIONS.map((e) => <th key={e} scope="col">{t(`screening.stimuli.emotion.${e}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {THEMES.map((th) => (
                <tr>
                  <th scope="row">{t(`screening.stimuli.theme.${th}`)}</th>
                  {EMOTIONS.map((e) => {
                    const name = `votes.${th}.${e}`;
                    const value = failed ? failed.values[name] ?? "" : table.votes[th][e] ?? "none";
                    return (
                      <td class={`vote vote-${STYLES.includes(value as never) ? value : "none"}`}>
                        <select
                          name={name}
                          disabled={!editable}
                          aria-label={`${t(`screening.stimuli.theme.${th}`)}: ${t(`screening.stimuli.emotion.${e}`)}`}
                        >
                          {[...STYLES, "none"].map((s) => (
                            <option value={s} selected={value === s}>{t(`screening.stimuli.style.${s}`)}</option>
                          ))}
                        </select>
                        <CellError errors={errors} name={name} t={t} />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editable
          ? (
            <button type="submit" class="btn">
              {t("screening.admin.save_mapping", { version: table.version + 1 })}
            </button>
          )
          : null}
      </form>
    </Card>
  );
}

function History({ data, t, lang }: { data: Data; t: T; lang: "id" | "en" }) {
  const { view } = data;
  const by = (id: string) => id === "system" ? t("screening.admin.system") : view.names[id] ?? id;
  const when = (iso: string) => formatInstant(iso, lang, config.timeZone);
  return (
    <Card title={t("screening.admin.history")}>
      <div class="grid-2">
        <div>
          <h3>{t("screening.admin.history_sets")}</h3>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("screening.admin.version")}</th>
                  <th scope="col">{t("screening.admin.created")}</th>
                  <th scope="col">{t("screening.admin.by")}</th>
                  <th scope="col">{t("screening.admin.active_count")}</th>
                </tr>
              </thead>
              <tbody>
                {view.sets.map((s) => (
                  <tr>
                    <td>
                      <a href={s.version === view.currentSetVersion ? "/admin/screening" : `?set=${s.version}`}>
                        v{s.version}
                      </a>{" "}
                      {s.version === view.currentSetVersion
                        ? <Badge tone="success">{t("screening.admin.set_current")}</Badge>
                        : null}
                    </td>
                    <td>{when(s.createdAt)}</td>
                    <td>{by(s.createdBy)}</td>
                    <td>{s.items.filter((i) => i.active).length} / {s.items.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div>
          <h3>{t("screening.admin.history_mappings")}</h3>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("screening.admin.version")}</th>
                  <th scope="col">{t("screening.admin.created")}</th>
                  <th scope="col">{t("screening.admin.by")}</th>
                  <th scope="col">{t("screening.admin.votes")}</th>
                </tr>
              </thead>
              <tbody>
                {view.mappings.map((m) => {
                  const cells = THEMES.flatMap((th) => EMOTIONS.map((e) => m.votes[th][e]));
                  return (
                    <tr>
                      <td>
                        <a
                          href={m.version === view.currentMappingVersion ? "/admin/screening" : `?mapping=${m.version}`}
                        >
                          v{m.version}
                        </a>{" "}
                        {m.version === view.currentMappingVersion
                          ? <Badge tone="success">{t("screening.admin.set_current")}</Badge>
                          : null}
                      </td>
                      <td>{when(m.createdAt)}</td>
                      <td>{by(m.createdBy)}</td>
                      <td>
                        {STYLES.map((s) =>
                          `${t(`screening.stimuli.style.${s}`)} ${cells.filter((c) => c === s).length}`
                        )
                          .join(" · ")}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </Card>
  );
}

export default define.page<typeof handler>(function AdminScreening({ data, state }) {
  const t = state.t;
  const d = data as Data;
  const old = d.readOnly;
  return (
    <>
      <p class="back-link">
        <a href="/admin">← {t("admin.title")}</a>
      </p>
      <PageHeader title={t("screening.admin.title")} subtitle={t("screening.admin.intro")} />
      {d.done ? <FormAlert kind="success" message={t(`screening.admin.saved.${d.done}`)} /> : null}
      <MsgAlert msg={d.message} t={t} />
      {old
        ? (
          <div class="alert alert-info" role="status">
            {t("screening.admin.set_old", {
              version: d.view.set.version !== d.view.currentSetVersion
                ? `${d.view.set.version}`
                : `${d.view.mapping.version}`,
            })} <a href="/admin/screening">{t("screening.admin.back_current")}</a>
          </div>
        )
        : null}
      <SetTable data={d} t={t} lang={state.lang} />
      {old ? null : <UploadForm data={d} t={t} />}
      <MappingGrid data={d} t={t} />
      <History data={d} t={t} lang={state.lang} />
    </>
  );
});
