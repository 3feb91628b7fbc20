import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { createStaff } from "@/lib/auth/accounts.ts";
import { STAFF_ROLES } from "@/lib/auth/users.ts";
import { echo, fieldT, seeOther } from "@/lib/auth/web.ts";
import { AuthCard, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formPage } from "@/lib/auth/views.tsx";
import { SelectField } from "@/components/ui.tsx";
import { EmailField, LangField, NameField, PhoneField } from "@/components/auth/fields.tsx";

/**
 * Creates a staff account (`role`, `name`, `email`, optional `phone`, `lang`);
 * a temporary password is mailed and must be changed at first sign-in.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.create.title");
    const role = ctx.url.searchParams.get("role") ?? "teacher";
    return formPage({ role, lang: ctx.state.lang });
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
      return failedForm(err, echo(body, ["role", "name", "email", "phone", "lang"]));
    }
  },
});

export default define.page<typeof handler>(function NewStaff({ data, state }) {
  const t = state.t;
  const v = data.values;
  return (
    <AuthCard title={t("admin.create.title")} intro={t("admin.create.intro")}>
      <MsgAlert msg={data.message} t={t} />
      <form method="post" action="/admin/users/new" class="stack" novalidate>
        <SelectField
          name="role"
          label={t("admin.create.role")}
          t={fieldT(t)}
          errors={data.errors}
          value={v.role}
          required
          options={STAFF_ROLES.map((r) => [r, t(`role.${r}`)])}
        />
        <NameField label={t("admin.create.name")} t={t} errors={data.errors} value={v.name} required />
        <EmailField label={t("admin.create.email")} t={t} errors={data.errors} value={v.email} required />
        <PhoneField label={t("admin.create.phone")} t={t} errors={data.errors} value={v.phone} inputmode="tel" />
        <LangField label={t("admin.create.lang")} t={t} errors={data.errors} value={v.lang} />
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
