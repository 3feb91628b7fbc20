import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { NotFound } from "@/lib/errors.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import { MsgAlert } from "@/components/auth/views.tsx";
import { decideApplication, getApplication, REASON_MAX } from "@/lib/psychologists/applications.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { getFile, type StoredFile } from "@/lib/files/store.ts";
import { getUser } from "@/lib/auth/users.ts";
import { audit } from "@/lib/audit.ts";
import { Badge, Card, type FieldErrors, PageHeader, TextAreaField } from "@/components/ui.tsx";

async function load(id: string) {
  const application = await getApplication(id);
  if (!application) throw new NotFound("application_not_found", "psy.error.application_not_found");
  const [profile, account, files] = await Promise.all([
    getPsychologist(application.userId),
    getUser(application.userId),
    Promise.all(application.certificateFileIds.map(getFile)),
  ]);
  return { application, profile, account, files: files.filter((f): f is StoredFile => !!f) };
}

/**
 * One application (admin): every field, the certificate files (admin-only downloads), and
 * the decision: approve, or reject with a reason (required). The applicant is e-mailed in
 * their language. Opening an application is a read of someone's documents: audited.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const admin = requireRole(ctx, "admin");
    const data = await load(ctx.params.id);
    ctx.state.title = data.application.name;
    await audit(admin.id, "application.read", `application:${data.application.id}`, {});
    const done = ctx.url.searchParams.get("done");
    const message: Msg | null = done === "approved" || done === "rejected"
      ? { key: `psy.review.done.${done}`, kind: "success" }
      : done === "nomail"
      ? { key: "auth.mail_failed", kind: "error" }
      : null;
    return page({ ...data, message, errors: {} as FieldErrors, reason: "" });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    const data = await load(ctx.params.id);
    ctx.state.title = data.application.name;
    const body = await readBody(ctx.req);
    try {
      const r = await decideApplication(admin, data.application.id, body);
      const done = r.mailSent ? r.application.status : "nomail";
      return seeOther(`/admin/psychologists/applications/${data.application.id}?done=${done}`);
    } catch (err) {
      const f = formFailure(err);
      const reason = typeof body.reason === "string" ? body.reason.slice(0, REASON_MAX + 10) : "";
      return page({ ...data, message: f.message, errors: f.errors, reason }, { status: f.status });
    }
  },
});

const TONE = { pending: "warning", approved: "success", rejected: "danger" } as const;

export default define.page<typeof handler>(function Review({ data, state }) {
  const t = state.t;
  const a = data.application;
  const p = data.profile;
  const row = (label: string, value: string | null | undefined) =>
    value
      ? (
        <div class="dl-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      )
      : null;
  return (
    <>
      <PageHeader title={a.name} subtitle={t("psy.review.subtitle")}>
        <a class="btn btn-secondary" href="/admin/psychologists/applications">{t("common.back")}</a>
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      <div class="grid-2">
        <Card title={t("psy.review.applicant")}>
          <p>
            <Badge tone={TONE[a.status]}>{t(`psy.application.${a.status}`)}</Badge>{" "}
            {data.account?.status === "pending" ? <Badge tone="info">{t("psy.review.email_unverified")}</Badge> : null}
          </p>
          <dl class="dl">
            {row(t("psy.field.email"), a.email)}
            {row(t("psy.queue.submitted"), formatInstant(a.createdAt, state.lang, config.timeZone))}
            {row(t("psy.review.lang"), a.lang === "id" ? "Bahasa Indonesia" : "English")}
            {p ? row(t("psy.field.title"), p.title) : null}
            {p ? row(t("psy.field.licence"), p.licenceNumber) : null}
            {p
              ? row(t("psy.field.specialisations"), p.specialisations.map((c) => t(`psy.category.${c}`)).join(", "))
              : null}
            {p ? row(t("psy.field.practice_place"), p.practicePlace) : null}
            {p ? row(t("psy.field.years"), String(p.yearsOfExperience)) : null}
            {p ? row(t("psy.field.languages"), p.languages.join(", ")) : null}
          </dl>
          {p && p.education.length
            ? (
              <>
                <h3 class="section-title">{t("psy.field.education")}</h3>
                <ul class="list">{p.education.map((e) => <li key={e}>{e}</li>)}</ul>
              </>
            )
            : null}
          {p?.bio
            ? (
              <>
                <h3 class="section-title">{t("psy.field.bio")}</h3>
                <p class="prewrap">{p.bio}</p>
              </>
            )
            : null}
          {a.reason
            ? (
              <>
                <h3 class="section-title">{t("psy.review.reason")}</h3>
                <p class="prewrap">{a.reason}</p>
              </>
            )
            : null}
        </Card>
        <div class="stack">
          <Card title={t("psy.field.certificates")}>
            <ul class="list file-list">
              {data.files.map((f, n) => (
                <li key={f.id}>
                  <a href={`/files/${f.id}`} download>
                    {t("psy.review.file", { n: n + 1 })}
                  </a>{" "}
                  <span class="muted">
                    {f.type === "application/pdf" ? "PDF" : f.type === "image/png" ? "PNG" : "JPEG"} ·{" "}
                    {Math.max(1, Math.round(f.size / 1024))} KB
                  </span>
                </li>
              ))}
            </ul>
            <p class="hint">{t("psy.review.files_hint")}</p>
          </Card>
          {a.status === "pending"
            ? (
              <Card title={t("psy.review.decide")}>
                <form method="post" action={`/admin/psychologists/applications/${a.id}`} class="stack">
                  <input type="hidden" name="decision" value="approve" />
                  <p class="hint">{t("psy.review.approve_hint")}</p>
                  <button type="submit" class="btn">{t("psy.review.approve")}</button>
                </form>
                <hr />
                <form method="post" action={`/admin/psychologists/applications/${a.id}`} class="stack" novalidate>
                  <input type="hidden" name="decision" value="reject" />
                  <TextAreaField
                    name="reason"
                    label={t("psy.review.reason")}
                    hint={t("psy.review.reason_hint")}
                    t={t}
                    errors={data.errors}
                    value={data.reason}
                    rows={4}
                    maxLength={REASON_MAX}
                    required
                  />
                  <button type="submit" class="btn btn-danger">{t("psy.review.reject")}</button>
                </form>
              </Card>
            )
            : null}
        </div>
      </div>
    </>
  );
});
