import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { adminResetPassword, adminUpdateUser, assertUserId, deactivateUser } from "@/lib/auth/accounts.ts";
import { requireUser as loadUser, type User } from "@/lib/auth/users.ts";
import { formatPhone } from "@/lib/auth/phone.ts";
import { listSessions } from "@/lib/auth/sessions.ts";
import { config } from "@/lib/config.ts";
import { echo, type Msg, seeOther } from "@/lib/auth/web.ts";
import { Hidden, MsgAlert } from "@/components/auth/views.tsx";
import { failedForm, formatInstant, formPage } from "@/lib/auth/views.tsx";
import { Badge, Card, ConfirmStep, PageHeader } from "@/components/ui.tsx";
import { EmailField, LangField, NameField, PhoneField } from "@/components/auth/fields.tsx";

const DONE: Record<string, Msg["kind"]> = {
  created: "success",
  created_nomail: "error",
  saved: "success",
  deactivated: "success",
  reactivated: "success",
  reset: "success",
  reset_nomail: "error",
};

function doneMsg(done: string | null, u: User): Msg | null {
  if (!done || !(done in DONE)) return null;
  const key = done === "created"
    ? "admin.create.done"
    : done === "reset"
    ? "admin.user.reset_done"
    : done.endsWith("_nomail")
    ? "auth.mail_failed"
    : `admin.user.${done}`;
  return {
    key,
    params: { name: u.name, email: u.email ?? "" },
    kind: DONE[done],
  };
}

function valuesOf(u: User): Record<string, string> {
  return {
    name: u.name,
    email: u.email ?? "",
    phone: u.phone ? formatPhone(u.phone) : "",
    lang: u.lang,
  };
}

/**
 * One user (admin): details, edit (`action=update`: name, email, phone, lang),
 * `action=deactivate` (ends their sessions), `action=reactivate`,
 * `action=reset` (temporary password mailed, must change). Audited.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    const target = await loadUser(assertUserId(ctx.params.id));
    ctx.state.title = target.name;
    const sessions = (await listSessions(target.id)).length;
    // Deactivate and reset ask first: their buttons link here with ?confirm=deactivate|reset.
    const asked = ctx.url.searchParams.get("confirm");
    const confirm = asked === "deactivate" && target.status !== "deactivated" ||
        asked === "reset" && target.email !== null
      ? asked
      : null;
    return formPage(valuesOf(target), doneMsg(ctx.url.searchParams.get("done"), target), {
      target,
      sessions,
      confirm,
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    const id = assertUserId(ctx.params.id);
    const target = await loadUser(id);
    ctx.state.title = target.name;
    const body = await readBody(ctx.req);
    const back = (done: string) => seeOther(`/admin/users/${id}?done=${done}`);
    try {
      switch (body.action) {
        case "deactivate":
          await deactivateUser(admin, id);
          return back("deactivated");
        case "reactivate":
          await adminUpdateUser(admin, id, { status: "active" });
          return back("reactivated");
        case "reset": {
          const r = await adminResetPassword(admin, id);
          return back(r.mailSent ? "reset" : "reset_nomail");
        }
        default: {
          const patch: Record<string, unknown> = echo(body, [
            "name",
            "email",
            "phone",
            "lang",
          ]);
          if (patch.phone === "" && target.role !== "guest") patch.phone = null;
          await adminUpdateUser(admin, id, patch);
          return back("saved");
        }
      }
    } catch (err) {
      const sessions = (await listSessions(target.id)).length;
      const values = { ...valuesOf(target), ...echo(body, ["name", "email", "phone", "lang"]) };
      return failedForm(err, values, { target, sessions, confirm: null });
    }
  },
});

const TONE = {
  active: "success",
  pending: "warning",
  deactivated: "danger",
} as const;

export default define.page<typeof handler>(function AdminUser({ data, state }) {
  const t = state.t;
  const u = data.target;
  const v = data.values;
  const self = state.user?.id === u.id;
  return (
    <>
      <PageHeader title={u.name} subtitle={t(`role.${u.role}`)}>
        <a class="btn btn-secondary" href={`/admin/users?role=${u.role}`}>
          {t("common.back")}
        </a>
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      {data.confirm
        ? (
          <ConfirmStep
            title={t(`confirm.${data.confirm}.title`)}
            body={t(`confirm.${data.confirm}.body`, { name: u.name, email: u.email ?? "" })}
            submitLabel={t(`confirm.${data.confirm}.submit`)}
            backHref={`/admin/users/${u.id}`}
            backLabel={t("confirm.back")}
            action={`/admin/users/${u.id}`}
            fields={{ action: data.confirm }}
          />
        )
        : null}
      <div class="grid-2" hidden={data.confirm !== null}>
        <Card title={t("admin.user.edit")}>
          <p>
            <Badge tone={TONE[u.status]}>{t(`status.${u.status}`)}</Badge>{" "}
            {u.mustChangePassword ? <Badge tone="info">{t("admin.user.must_change")}</Badge> : null}
          </p>
          <p class="muted">
            {t("admin.users.created")}: {formatInstant(u.createdAt, state.lang, config.timeZone)} ·{" "}
            {t("admin.user.sessions", { name: data.target.name, count: data.sessions })}
          </p>
          <form
            method="post"
            action={`/admin/users/${u.id}`}
            class="stack"
            novalidate
          >
            <Hidden name="action" value="update" />
            <NameField label={t("profile.name")} t={t} errors={data.errors} value={v.name} required />
            <EmailField label={t("profile.email")} t={t} errors={data.errors} value={v.email} />
            <PhoneField label={t("profile.phone")} t={t} errors={data.errors} value={v.phone} />
            <LangField label={t("profile.lang")} t={t} errors={data.errors} value={v.lang} />
            <button type="submit" class="btn">{t("admin.user.save")}</button>
          </form>
        </Card>
        <Card title={t("common.actions")}>
          {u.email
            ? (
              <div class="stack">
                <p class="hint">{t("admin.user.reset_hint")}</p>
                <a class="btn btn-danger-outline" href={`/admin/users/${u.id}?confirm=reset#confirm`}>
                  {t("admin.user.reset")}
                </a>
              </div>
            )
            : null}
          {self ? null : u.status === "deactivated"
            ? (
              <form method="post" action={`/admin/users/${u.id}`} class="stack">
                <Hidden name="action" value="reactivate" />
                <button type="submit" class="btn btn-secondary">
                  {t("admin.user.reactivate")}
                </button>
              </form>
            )
            : (
              <div class="stack">
                <p class="hint">{t("admin.user.deactivate_hint")}</p>
                <a class="btn btn-danger-outline" href={`/admin/users/${u.id}?confirm=deactivate#confirm`}>
                  {t("admin.user.deactivate")}
                </a>
              </div>
            )}
        </Card>
      </div>
    </>
  );
});
