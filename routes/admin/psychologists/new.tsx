import { define } from "@/lib/define.ts";
import { readFormData } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { ValidationError } from "@/lib/errors.ts";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import { adminCreatePsychologist } from "@/lib/psychologists/applications.ts";
import { echoProfileForm, formErrors, profileFromForm, serviceRows } from "@/lib/psychologists/form.ts";
import { Card, PageHeader } from "@/components/ui.tsx";
import { EmailField, LangField, NameField } from "@/components/auth/fields.tsx";
import { ProfileFields, ServiceRows } from "@/components/psychologists/fields.tsx";

/**
 * Creates a verified psychologist directly (admin, laptop): account (a temporary password is
 * mailed and changed at first sign-in) and a verified, listed profile with its services, in one
 * commit.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("psy.admin.new");
    return formPage({ lang: ctx.state.lang, languages: "id" });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("psy.admin.new");
    const form = await readFormData(ctx.req);
    try {
      const r = await adminCreatePsychologist(admin, {
        ...profileFromForm(form),
        email: form.get("email"),
        lang: form.get("lang") || undefined,
      });
      return seeOther(`/admin/psychologists?done=${r.mailSent ? "created" : "created_nomail"}`);
    } catch (err) {
      const values = echoProfileForm(form);
      values.email = String(form.get("email") ?? "").slice(0, 254);
      values.lang = String(form.get("lang") ?? "").slice(0, 5);
      return failedForm(err instanceof ValidationError ? formErrors(err, serviceRows(form)) : err, values);
    }
  },
});

export default define.page<typeof handler>(function NewPsychologist({ data, state }) {
  const t = state.t;
  const { errors, values: v } = data;
  return (
    <>
      <PageHeader title={t("psy.admin.new")} subtitle={t("psy.admin.new_intro")}>
        <a class="btn btn-secondary" href="/admin/psychologists">{t("common.back")}</a>
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/admin/psychologists/new" class="psy-editor" novalidate>
        <Card title={t("psy.apply.account")}>
          <div class="stack">
            <NameField
              label={t("psy.field.name")}
              hint={t("psy.field.name_hint")}
              t={t}
              errors={errors}
              value={v.name}
              required
            />
            <EmailField label={t("psy.field.email")} t={t} errors={errors} value={v.email} required />
            <LangField label={t("psy.field.lang")} t={t} errors={errors} value={v.lang} />
          </div>
        </Card>
        <Card title={t("psy.apply.profile")}>
          <div class="stack">
            <ProfileFields t={t} errors={errors} values={v} />
          </div>
        </Card>
        <Card>
          <ServiceRows t={t} errors={errors} values={v} />
        </Card>
        <div class="form-actions">
          <button type="submit" class="btn btn-lg">{t("psy.admin.create")}</button>
        </div>
      </form>
    </>
  );
});
