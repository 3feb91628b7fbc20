import { page } from "fresh";
import { define } from "../../../lib/define.ts";
import { readBody } from "../../../lib/validation.ts";
import { requireRole } from "../../../lib/auth/guard.ts";
import { createStaff } from "../../../lib/auth/accounts.ts";
import { STAFF_ROLES } from "../../../lib/auth/users.ts";
import { echo, fieldT, formFailure, type Msg, seeOther } from "../../../lib/auth/web.ts";
import { AuthCard, MsgAlert } from "../../../lib/auth/views.tsx";
import { Field, SelectField } from "../../../components/ui.tsx";

interface Data {
  values: Record<string, string>;
  errors: Record<string, string>;
  message: Msg | null;
}

/**
 * Creates a staff account (`role`, `name`, `email`, optional `phone`, `lang`);
 * a temporary password is mailed and must be changed at first sign-in.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.create.title");
    const role = ctx.url.searchParams.get("role") ?? "teacher";
    return page<Data>({
      values: { role, lang: ctx.state.lang },
      errors: {},
      message: null,
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.create.title");
    const body = await readBody(ctx.req);
    try {
      const { user, mailSent } = await createStaff(admin, body);
      return seeOther(
        `/admin/users/${user.id}?done=${mailSent ? "created" : "created_nomail"}`,
      );
    } catch (err) {
      const f = formFailure(err);
      return page<Data>({
        values: echo(body, ["role", "name", "email", "phone", "lang"]),
        errors: f.errors,
        message: f.message,
      }, { status: f.status, headers: f.headers });
    }
  },
});

export default define.page<typeof handler>(function NewStaff({ data, state }) {
  const t = state.t;
  const ft = fieldT(t);
  const v = data.values;
  return (
    <AuthCard title={t("admin.create.title")} intro={t("admin.create.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/admin/users/new" class="stack" novalidate>
        <SelectField
          name="role"
          label={t("admin.create.role")}
          t={ft}
          errors={data.errors}
          value={v.role}
          required
          options={STAFF_ROLES.map((r) => [r, t(`role.${r}`)])}
        />
        <Field
          name="name"
          label={t("admin.create.name")}
          t={ft}
          errors={data.errors}
          value={v.name}
          maxLength={100}
          required
        />
        <Field
          name="email"
          type="email"
          label={t("admin.create.email")}
          t={ft}
          errors={data.errors}
          value={v.email}
          maxLength={254}
          required
        />
        <Field
          name="phone"
          type="tel"
          label={t("admin.create.phone")}
          t={ft}
          errors={data.errors}
          value={v.phone}
          inputmode="tel"
          maxLength={40}
        />
        <SelectField
          name="lang"
          label={t("admin.create.lang")}
          t={ft}
          errors={data.errors}
          value={v.lang}
          options={[["id", "Bahasa Indonesia"], ["en", "English"]]}
        />
        <button type="submit" class="btn btn-lg">
          {t("admin.create.submit")}
        </button>
      </form>
      <p>
        <a href="/admin/users">{t("common.back")}</a>
      </p>
    </AuthCard>
  );
});
