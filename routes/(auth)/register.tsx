import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { registerClient } from "@/lib/auth/accounts.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { config } from "@/lib/config.ts";
import { echo, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { BirthDateField, EmailField, GenderField, NameField, NewPasswordFields } from "@/components/auth/fields.tsx";
import { preloadPasswordEstimator } from "@/lib/auth/strength.ts";

const FIELDS = ["name", "gender", "birthDate", "email"] as const;

/**
 * Client self-registration (docs/domain-rules.md "Roles and accounts"): name, gender, birth date, e-mail,
 * password → pending account + e-mailed code → `/verify`.
 */
export const handler = define.handlers({
  GET(ctx) {
    preloadPasswordEstimator();
    if (ctx.state.user) return ctx.redirect("/home", 303);
    ctx.state.title = ctx.state.t("register.title");
    return formPage();
  },
  async POST(ctx) {
    ctx.state.title = ctx.state.t("register.title");
    const body = await readBody(ctx.req);
    try {
      const { user, mailSent } = await registerClient(
        body,
        ctx.state.lang,
        clientIp(ctx),
      );
      const qs = new URLSearchParams({ email: user.email! });
      if (!mailSent) qs.set("mail", "failed");
      return seeOther(`/verify?${qs}`);
    } catch (err) {
      return failedForm(err, echo(body, FIELDS));
    }
  },
});

export default define.page<typeof handler>(function Register({ data, state }) {
  const t = state.t;
  const { errors, values: v } = data;
  const max = config.clientMaxAge;
  const ageHint = max === null
    ? t("register.age_rule", { min: config.clientMinAge })
    : t("register.age_rule_range", { min: config.clientMinAge, max });
  return (
    <AuthCard title={t("register.title")} intro={t("register.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/register" class="stack" novalidate>
        <NameField label={t("register.name")} t={t} errors={errors} value={v.name} autocomplete="name" required />
        <GenderField label={t("register.gender")} t={t} errors={errors} value={v.gender} required />
        <BirthDateField
          label={t("register.birth_date")}
          t={t}
          errors={errors}
          value={v.birthDate}
          hint={ageHint}
          required
        />
        <EmailField label={t("register.email")} t={t} errors={errors} value={v.email} autocomplete="email" required />
        <NewPasswordFields t={t} errors={errors} label={t("register.password")} />
        <button type="submit" class="btn btn-lg">{t("register.submit")}</button>
      </form>
      <p class="muted">
        {t("register.have_account")} <a href="/signin">{t("nav.signin")}</a>
      </p>
    </AuthCard>
  );
});
