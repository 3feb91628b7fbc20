import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { describeAudit, listAudit } from "@/lib/audit.ts";
import { getUsers } from "@/lib/auth/users.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";

/**
 * The audit log, newest first, 50 per page (admin): translated actions,
 * actors and targets linked to their pages, details as label/value pairs
 * (`describeAudit` in lib/audit.ts).
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.audit.title");
    const cursor = (ctx.url.searchParams.get("cursor") ?? "").slice(0, 1000) ||
      null;
    const result = await listAudit({ cursor, limit: 50 });
    const ids = new Set<string>();
    for (const e of result.items) {
      ids.add(e.actorId);
      if (e.target.startsWith("user:")) ids.add(e.target.slice(5));
    }
    const users = await getUsers([...ids].filter((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
    const names: Record<string, string> = {};
    users.forEach((u) => {
      if (u) names[u.id] = u.name;
    });
    const t = ctx.state.t;
    const rows = result.items.map((e) => ({ at: e.at, ...describeAudit(e, t, names) }));
    return page({ rows, cursor: result.cursor });
  },
});

export default define.page<typeof handler>(
  function AuditLog({ data, state, url }) {
    const t = state.t;
    return (
      <>
        <PageHeader title={t("admin.audit.title")} />
        <Card>
          {data.rows.length === 0 ? <Empty t={t} /> : (
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
                  {data.rows.map((r) => (
                    <tr>
                      <td>{formatInstant(r.at, state.lang, config.timeZone)}</td>
                      <td>{r.actorHref ? <a href={r.actorHref}>{r.actor}</a> : r.actor}</td>
                      <td>
                        {r.action} <small class="muted" translate={false}>({r.code})</small>
                      </td>
                      <td>{r.targetHref ? <a href={r.targetHref}>{r.target}</a> : r.target}</td>
                      <td>
                        {r.details.length === 0 ? "—" : (
                          <dl class="audit-details">
                            {r.details.map(([k, v]) => (
                              <>
                                <dt>{k}</dt>
                                <dd>{v}</dd>
                              </>
                            ))}
                          </dl>
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
