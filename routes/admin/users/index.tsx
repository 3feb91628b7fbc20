import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { parseInput } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { listUsersSchema } from "@/lib/auth/schemas.ts";
import { listUsers, ROLES } from "@/lib/auth/users.ts";
import { formatPhone } from "@/lib/auth/phone.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { Badge, Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";

/** Users by role with search (`q`) and cursor pagination (admin). */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.users.title");
    const query = parseInput(
      listUsersSchema,
      Object.fromEntries(ctx.url.searchParams),
    );
    const result = await listUsers({
      role: query.role || undefined,
      q: query.q,
      cursor: query.cursor,
      limit: query.limit ?? 20,
    });
    return page({
      users: result.items,
      cursor: result.cursor,
      role: query.role ?? "",
      q: query.q ?? "",
    });
  },
});

const TONE = {
  active: "success",
  pending: "warning",
  deactivated: "danger",
} as const;

export default define.page<typeof handler>(
  function AdminUsers({ data, state, url }) {
    const t = state.t;
    return (
      <>
        <PageHeader title={t("admin.users.title")}>
          <a class="btn" href="/admin/users/new">{t("admin.users.new")}</a>
        </PageHeader>
        <Card>
          <form
            method="get"
            action="/admin/users"
            class="form-row"
            role="search"
          >
            <div class="field">
              <label for="f-role">{t("admin.users.role")}</label>
              <select id="f-role" name="role">
                <option value="">{t("common.all")}</option>
                {ROLES.map((r) => (
                  <option value={r} selected={data.role === r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-q">{t("admin.users.q")}</label>
              <input
                id="f-q"
                name="q"
                type="search"
                value={data.q}
                maxLength={100}
              />
            </div>
            <div>
              <button type="submit" class="btn">
                {t("admin.users.filter")}
              </button>
            </div>
          </form>
        </Card>
        <Card>
          {data.users.length === 0 ? <Empty t={t} message={t("admin.users.none")} /> : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.users.name")}</th>
                    <th scope="col">{t("admin.users.role")}</th>
                    <th scope="col">{t("admin.users.contact")}</th>
                    <th scope="col">{t("admin.users.status")}</th>
                    <th scope="col">{t("admin.users.created")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.users.map((u) => (
                    <tr data-user-id={u.id}>
                      <td>
                        <a href={`/admin/users/${u.id}`}>{u.name}</a>
                      </td>
                      <td>{t(`role.${u.role}`)}</td>
                      <td>
                        {u.email ?? (u.phone ? formatPhone(u.phone) : "")}
                      </td>
                      <td>
                        <Badge tone={TONE[u.status]}>
                          {t(`status.${u.status}`)}
                        </Badge>{" "}
                        {u.mustChangePassword
                          ? (
                            <Badge tone="info">
                              {t("admin.user.must_change")}
                            </Badge>
                          )
                          : null}
                      </td>
                      <td>
                        {formatInstant(
                          u.createdAt,
                          state.lang,
                          config.timeZone,
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination url={url} cursor={data.cursor} t={t} />
        </Card>
      </>
    );
  },
);
