import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { listAudit } from "@/lib/audit.ts";
import { getUsers } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";

/** The audit log, newest first, 50 per page (admin). */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.audit.title");
    const cursor = (ctx.url.searchParams.get("cursor") ?? "").slice(0, 1000) ||
      null;
    const result = await listAudit({ cursor, limit: 50 });
    const actorIds = [
      ...new Set(
        result.items.map((e) => e.actorId).filter((id) => /^[0-9A-Z]{26}$/.test(id)),
      ),
    ];
    const actors = await getUsers(actorIds);
    const names: Record<string, string> = {};
    actors.forEach((u) => {
      if (u) names[u.id] = u.name;
    });
    return page({ entries: result.items, cursor: result.cursor, names });
  },
});

export default define.page<typeof handler>(
  function AuditLog({ data, state, url }) {
    const t = state.t;
    return (
      <>
        <PageHeader title={t("admin.audit.title")} />
        <Card>
          {data.entries.length === 0 ? <Empty t={t} /> : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.audit.at")}</th>
                    <th scope="col">{t("admin.audit.actor")}</th>
                    <th scope="col">{t("admin.audit.action")}</th>
                    <th scope="col">{t("admin.audit.target")}</th>
                    <th scope="col">{t("admin.audit.details")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.entries.map((e) => {
                    const userTarget = e.target.startsWith("user:") ? e.target.slice(5) : null;
                    return (
                      <tr>
                        <td>
                          {formatInstant(e.at, state.lang, config.timeZone)}
                        </td>
                        <td>{data.names[e.actorId] ?? e.actorId}</td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>
                          {userTarget
                            ? (
                              <a href={`/admin/users/${userTarget}`}>
                                {e.target}
                              </a>
                            )
                            : e.target}
                        </td>
                        <td>
                          <code>{JSON.stringify(e.meta)}</code>
                        </td>
                      </tr>
                    );
                  })}
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
