import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { confirmEmailChange, pendingEmailChange } from "@/lib/auth/accounts.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { clientIp } from "@/lib/ratelimit.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { CodeField } from "@/components/auth/fields.tsx";

/** Confirms an e-mail change with the `code` sent to the new address. */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("profile.email_confirm");
    const pendingEmail = await pendingEmailChange(user.id);
    if (!pendingEmail) return ctx.redirect("/profile", 303);
    return formPage({}, null, { pendingEmail });
  },
  async POST(ctx) {
    const user = requireUser(ctx);
    ctx.state.title = ctx.state.t("profile.email_confirm");
    const body = await readBody(ctx.req);
    try {
      await confirmEmailChange(user, body, clientIp(ctx));
      return seeOther("/profile?email=changed");
    } catch (err) {
      return failedForm(err, {}, { pendingEmail: await pendingEmailChange(user.id) });
    }
  },
});

export default define.page<typeof handler>(
  function EmailConfirm({ data, state }) {
    const t = state.t;
    return (
      <AuthCard
        title={t("profile.email_confirm")}
        intro={data.pendingEmail ? t("profile.email_pending", { email: data.pendingEmail }) : undefined}
      >
        <MsgAlert msg={data.message} t={t} />
        <form method="post" action="/profile/email" class="stack" novalidate>
          <CodeField label={t("profile.email_code")} t={t} errors={data.errors} />
          <button type="submit" class="btn btn-lg">
            {t("profile.email_confirm")}
          </button>
        </form>
        <p>
          <a href="/profile">{t("common.back")}</a>
        </p>
      </AuthCard>
    );
  },
);
