import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { pendingEmailChange, updateProfile } from "../../lib/auth/accounts.ts";
import { requireUser } from "../../lib/auth/guard.ts";
import { listSessions } from "../../lib/auth/sessions.ts";
import { formatPhone } from "../../lib/auth/phone.ts";
import { clientIp } from "../../lib/ratelimit.ts";
import type { User } from "../../lib/auth/users.ts";
import { echo, fieldT, formFailure, type Msg, seeOther } from "../../lib/auth/web.ts";
import { MsgAlert } from "../../lib/auth/views.tsx";
import { Card, Field, PageHeader, SelectField } from "../../components/ui.tsx";

interface Data {
  values: Record<string, string>;
  errors: Record<string, string>;
  message: Msg | null;
  pendingEmail: string | null;
  sessions: number;
}

function valuesOf(u: User): Record<string, string> {
  return {
    name: u.name,
    email: u.email ?? "",
    gender: u.gender ?? "",
    birthDate: u.birthDate ?? "",
    lang: u.lang,
  };
}

async function extras(u: User) {
  return {
    pendingEmail: await pendingEmailChange(u.id),
    sessions: (await listSessions(u.id)).length,
  };
}

/**
 * Profile of any signed-in user: name, e-mail (a change is confirmed by a
 * code sent to the new address, see `/profile/email`), gender and birth date,
 * language; links to change the password and to sign out everywhere.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("profile.title");
    const sp = ctx.url.searchParams;
    let message: Msg | null = null;
    if (sp.has("saved")) message = { key: "profile.saved", kind: "success" };
    if (sp.get("email") === "changed") {
      message = { key: "profile.email_changed", kind: "success" };
    }
    if (sp.get("password") === "changed") {
      message = { key: "password.changed", kind: "success" };
    }
    return page<Data>({
      values: valuesOf(user),
      errors: {},
      message,
      ...(await extras(user)),
    });
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("profile.title");
    const body = await readBody(ctx.req);
    try {
      const r = await updateProfile(user, body, clientIp(ctx));
      const cookies = r.user.lang !== ctx.state.lang
        ? [`lang=${r.user.lang}; Path=/; Max-Age=31536000; SameSite=Lax`]
        : [];
      return seeOther("/profile?saved=1", cookies);
    } catch (err) {
      const f = formFailure(err);
      const values = {
        ...valuesOf(user),
        ...echo(body, ["name", "email", "gender", "birthDate", "lang"]),
      };
      return page<Data>({
        values,
        errors: f.errors,
        message: f.message,
        ...(await extras(user)),
      }, { status: f.status, headers: f.headers });
    }
  },
});

export default define.page<typeof handler>(function Profile({ data, state }) {
  const t = state.t;
  const ft = fieldT(t);
  const user = state.user!;
  const v = data.values;
  const showPersonal = user.role === "client" || user.role === "psychologist" ||
    !!user.gender || !!user.birthDate;
  return (
    <>
      <PageHeader
        title={t("profile.title")}
        subtitle={`${t("profile.role")}: ${t(`role.${user.role}`)}`}
      />
      <MsgAlert msg={data.message} t={t} />
      <div class="grid-2">
        <Card title={t("profile.details")}>
          <form method="post" action="/profile" class="stack" novalidate>
            <Field
              name="name"
              label={t("profile.name")}
              t={ft}
              errors={data.errors}
              value={v.name}
              autocomplete="name"
              maxLength={100}
              required
            />
            <Field
              name="email"
              type="email"
              label={t("profile.email")}
              t={ft}
              errors={data.errors}
              value={v.email}
              autocomplete="email"
              maxLength={254}
              hint={t("profile.email_hint")}
              required
            />
            {showPersonal
              ? (
                <>
                  <SelectField
                    name="gender"
                    label={t("profile.gender")}
                    t={ft}
                    errors={data.errors}
                    value={v.gender}
                    options={[["", t("register.gender_choose")], [
                      "female",
                      t("gender.female"),
                    ], ["male", t("gender.male")]]}
                  />
                  <Field
                    name="birthDate"
                    type="date"
                    label={t("profile.birth_date")}
                    t={ft}
                    errors={data.errors}
                    value={v.birthDate}
                    autocomplete="bday"
                  />
                </>
              )
              : null}
            <SelectField
              name="lang"
              label={t("profile.lang")}
              t={ft}
              errors={data.errors}
              value={v.lang}
              options={[["id", "Bahasa Indonesia"], ["en", "English"]]}
            />
            {user.phone
              ? (
                <p class="muted">
                  {t("profile.phone")}: {formatPhone(user.phone)}
                </p>
              )
              : null}
            <button type="submit" class="btn">{t("profile.save")}</button>
          </form>
          {data.pendingEmail
            ? (
              <form method="post" action="/profile/email" class="stack">
                <p class="alert alert-info" role="status">
                  {t("profile.email_pending", { email: data.pendingEmail })}
                </p>
                <Field
                  name="code"
                  label={t("profile.email_code")}
                  t={ft}
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  maxLength={6}
                  required
                />
                <button type="submit" class="btn btn-secondary">
                  {t("profile.email_confirm")}
                </button>
              </form>
            )
            : null}
        </Card>
        <Card title={t("profile.security")}>
          <p>
            <a class="btn btn-secondary" href="/profile/password">
              {t("profile.change_password")}
            </a>
          </p>
          <p class="muted">{t("profile.sessions", { count: data.sessions })}</p>
          <form method="post" action="/signout">
            <input type="hidden" name="scope" value="all" />
            <button type="submit" class="btn btn-secondary">
              {t("profile.signout_everywhere")}
            </button>
          </form>
        </Card>
      </div>
    </>
  );
});
