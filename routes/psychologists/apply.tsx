import { define } from "@/lib/define.ts";
import { discardBody, readFormData } from "@/lib/validation.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import { preloadPasswordEstimator } from "@/lib/auth/strength.ts";
import { enforceApplicationLimit, MAX_APPLICATION_BYTES, submitApplication } from "@/lib/psychologists/application.ts";
import { echoProfileForm } from "@/lib/psychologists/form.ts";
import { CERTIFICATES } from "@/lib/psychologists/model.ts";
import { Card, errorText, PageHeader } from "@/components/ui.tsx";
import { EmailField, NameField, NewPasswordFields } from "@/components/auth/fields.tsx";
import { ProfileFields } from "@/components/psychologists/fields.tsx";

/**
 * The public application of a psychologist (docs/domain-rules.md "Psychologists and directory"):
 * account, licence, profile fields and 1–3 certificates (multipart, ≤ 5 MB each, type by magic
 * bytes). Works without JavaScript. The per-address limit is checked before the body is read. A success continues at `/verify` with the e-mailed code,
 * whether or not the address already had an account.
 */
export const handler = define.handlers({
  GET(ctx) {
    preloadPasswordEstimator();
    ctx.state.title = ctx.state.t("psy.apply.title");
    return formPage({});
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("psy.apply.title");
    try {
      await enforceApplicationLimit(clientIp(ctx));
    } catch (err) {
      await discardBody(ctx.req);
      return failedForm(err);
    }
    const form = await readFormData(ctx.req, MAX_APPLICATION_BYTES);
    try {
      const { email, mailSent } = await submitApplication(form, ctx.state.lang);
      const qs = new URLSearchParams({ email });
      if (!mailSent) qs.set("mail", "failed");
      return seeOther(`/verify?${qs}`);
    } catch (err) {
      const values = echoProfileForm(form);
      values.email = typeof form.get("email") === "string" ? String(form.get("email")).slice(0, 254) : "";
      return failedForm(err, values);
    }
  },
});

export default define.page<typeof handler>(function Apply({ data, state }) {
  const t = state.t;
  const { errors, values: v } = data;
  const certErr = errors.certificates;
  return (
    <div class="narrow-page psy-apply">
      <PageHeader title={t("psy.apply.title")} subtitle={t("psy.apply.intro")} />
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/psychologists/apply" enctype="multipart/form-data" class="stack" novalidate>
        <Card title={t("psy.apply.account")}>
          <div class="stack">
            <NameField
              label={t("psy.field.name")}
              hint={t("psy.field.name_hint")}
              t={t}
              errors={errors}
              value={v.name}
              autocomplete="name"
              required
            />
            <EmailField
              label={t("psy.field.email")}
              t={t}
              errors={errors}
              value={v.email}
              autocomplete="email"
              required
            />
            <NewPasswordFields t={t} errors={errors} label={t("psy.field.password")} />
          </div>
        </Card>
        <Card title={t("psy.apply.profile")}>
          <div class="stack">
            <ProfileFields t={t} errors={errors} values={v} />
          </div>
        </Card>
        <Card title={t("psy.apply.certificates")}>
          <div class={`field${certErr ? " has-error" : ""}`}>
            <label for="f-certificates">
              {t("psy.field.certificates")}
              <span class="req" aria-hidden="true">*</span>
            </label>
            <input
              id="f-certificates"
              type="file"
              name="certificates"
              multiple
              accept="application/pdf,image/png,image/jpeg"
              aria-describedby={certErr ? "hint-certificates err-certificates" : "hint-certificates"}
              aria-invalid={certErr ? "true" : undefined}
            />
            <p class="hint" id="hint-certificates">{t("psy.field.certificates_hint", { max: CERTIFICATES.max })}</p>
            {certErr ? <p class="field-error" id="err-certificates">{errorText(t, certErr)}</p> : null}
          </div>
        </Card>
        <p class="hint">{t("psy.apply.after")}</p>
        <button type="submit" class="btn btn-lg">{t("psy.apply.submit")}</button>
      </form>
    </div>
  );
});
