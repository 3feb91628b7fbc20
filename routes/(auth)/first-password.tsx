import { page } from "fresh";
import { define } from "../../lib/define.ts";
import { readBody } from "../../lib/validation.ts";
import { setFirstPassword } from "../../lib/auth/accounts.ts";
import { requireUser } from "../../lib/auth/guard.ts";
import { fieldT, formFailure, type Msg, seeOther } from "../../lib/auth/web.ts";
import { AuthCard, MsgAlert } from "../../lib/auth/views.tsx";
import { Field } from "../../components/ui.tsx";

interface Data {
  errors: Record<string, string>;
  message: Msg | null;
}

/**
 * Forced password change at the first sign-in of staff (and after an admin
 * reset): `password` + `confirm`. Other pages redirect here until it is done.
 */
export const handler = define.handlers({
  GET(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    if (!user.mustChangePassword) return ctx.redirect("/home", 303);
    ctx.state.title = ctx.state.t("first_password.title");
    return page<Data>({ errors: {}, message: null });
  },
  async POST(ctx) {
    const user = requireUser(ctx, { allowPasswordChange: true });
    if (!user.mustChangePassword) return seeOther("/home");
    ctx.state.title = ctx.state.t("first_password.title");
    const body = await readBody(ctx.req);
    try {
      await setFirstPassword(user, body, ctx.state.sessionId);
      return seeOther("/home");
    } catch (err) {
      const f = formFailure(err);
      return page<Data>({ errors: f.errors, message: f.message }, {
        status: f.status,
        headers: f.headers,
      });
    }
  },
});

export default define.page<typeof handler>(
  function FirstPassword({ data, state }) {
    const t = state.t;
    const ft = fieldT(t);
    return (
      <AuthCard
        title={t("first_password.title")}
        intro={t("first_password.intro")}
      >
        <MsgAlert msg={data.message} t={t} />
        <form method="post" action="/first-password" class="stack" novalidate>
          <Field
            name="password"
            type="password"
            label={t("first_password.password")}
            t={ft}
            errors={data.errors}
            autocomplete="new-password"
            hint={t("auth.password.hint")}
            required
          />
          <Field
            name="confirm"
            type="password"
            label={t("first_password.confirm")}
            t={ft}
            errors={data.errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="btn btn-lg">
            {t("first_password.submit")}
          </button>
        </form>
      </AuthCard>
    );
  },
);
