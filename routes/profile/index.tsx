import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { pendingEmailChange, updateProfile } from "@/lib/auth/accounts.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { listSessions } from "@/lib/auth/sessions.ts";
import { formatPhone } from "@/lib/auth/phone.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import type { User } from "@/lib/auth/users.ts";
import { echo, type Msg, seeOther } from "@/lib/auth/web.ts";
import { MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { Card, PageHeader } from "@/components/ui.tsx";
import { BirthDateField, CodeField, EmailField, GenderField, LangField, NameField } from "@/components/auth/fields.tsx";

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
    return formPage(valuesOf(user), message, await extras(user));
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
      const values = {
        ...valuesOf(user),
        ...echo(body, ["name", "email", "gender", "birthDate", "lang"]),
      };
      return failedForm(err, values, await extras(user));
    }
  },
});

export default define.page<typeof handler>(function Profile({ data, state }) {
  const t = state.t;
  const user = state.user!;
  const { errors, values: v } = data;
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
            <NameField label={t("profile.name")} t={t} errors={errors} value={v.name} autocomplete="name" required />
            <EmailField
              label={t("profile.email")}
              t={t}
              errors={errors}
              value={v.email}
              autocomplete="email"
              hint={t("profile.email_hint")}
              required
            />
            {showPersonal
              ? (
                <>
                  <GenderField label={t("profile.gender")} t={t} errors={errors} value={v.gender} />
                  <BirthDateField label={t("profile.birth_date")} t={t} errors={errors} value={v.birthDate} />
                </>
              )
              : null}
            <LangField label={t("profile.lang")} t={t} errors={errors} value={v.lang} />
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
                <CodeField label={t("profile.email_code")} t={t} />
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
