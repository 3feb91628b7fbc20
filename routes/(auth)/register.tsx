import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { registerClient } from "../../lib/auth/accounts.ts";
import { clientIp } from "../../lib/ratelimit.ts";
import { config } from "../../lib/config.ts";
import { echo, fieldT, formFailure, type Msg, seeOther } from "../../lib/auth/web.ts";
import { AuthCard, MsgAlert } from "../../lib/auth/views.tsx";
import { Field, SelectField } from "../../components/ui.tsx";

const FIELDS = ["name", "gender", "birthDate", "email"] as const;

interface Data {
  values: Record<string, string>;
  errors: Record<string, string>;
  message: Msg | null;
}

/**
 * Client self-registration (PRODUCT.md §1): name, gender, birth date, e-mail,
 * password → pending account + e-mailed code → `/verify`.
 */
export const handler = define.handlers({
  GET(ctx) {
    if (ctx.state.user) return ctx.redirect("/home", 303);
    ctx.state.title = ctx.state.t("register.title");
    return page<Data>({ values: {}, errors: {}, message: null });
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
      const f = formFailure(err);
      return page<Data>({
        values: echo(body, FIELDS),
        errors: f.errors,
        message: f.message,
      }, { status: f.status, headers: f.headers });
    }
  },
});

export default define.page<typeof handler>(function Register({ data, state }) {
  const t = state.t;
  const ft = fieldT(t);
  const v = data.values;
  const max = config.clientMaxAge;
  const ageHint = max === null
    ? t("register.age_rule", { min: config.clientMinAge })
    : t("register.age_rule_range", { min: config.clientMinAge, max });
  return (
    <AuthCard title={t("register.title")} intro={t("register.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/register" class="stack" novalidate>
        <Field
          name="name"
          label={t("register.name")}
          t={ft}
          errors={data.errors}
          value={v.name}
          autocomplete="name"
          maxLength={100}
          required
        />
        <SelectField
          name="gender"
          label={t("register.gender")}
          t={ft}
          errors={data.errors}
          value={v.gender}
          required
          options={[["", t("register.gender_choose")], [
            "female",
            t("gender.female"),
          ], ["male", t("gender.male")]]}
        />
        <Field
          name="birthDate"
          type="date"
          label={t("register.birth_date")}
          t={ft}
          errors={data.errors}
          value={v.birthDate}
          autocomplete="bday"
          hint={ageHint}
          required
        />
        <Field
          name="email"
          type="email"
          label={t("register.email")}
          t={ft}
          errors={data.errors}
          value={v.email}
          autocomplete="email"
          maxLength={254}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("register.password")}
          t={ft}
          errors={data.errors}
          autocomplete="new-password"
          hint={t("auth.password.hint")}
          required
        />
        <button type="submit" class="btn btn-lg">{t("register.submit")}</button>
      </form>
      <p class="muted">
        {t("register.have_account")} <a href="/signin">{t("nav.signin")}</a>
      </p>
    </AuthCard>
  );
});
