import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { formatInstant } from "@/lib/auth/views.tsx";
import { listApplications } from "@/lib/psychologists/applications.ts";
import { applicationStatusSchema } from "@/lib/psychologists/model.ts";
import { Badge, Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";

const query = z.object({
  status: applicationStatusSchema.default("pending"),
  cursor: z.string().max(500).optional(),
});

/** The applications queue (admin): pending oldest first; approved and rejected newest first. */
export const handler = define.handlers({
  async GET(ctx) {
    const admin = requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("psy.queue.title");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const list = await listApplications(admin, { status: q.status, cursor: q.cursor, limit: 50 });
    return page({ list, status: q.status });
  },
});

const TONE = { pending: "warning", approved: "success", rejected: "danger" } as const;

export default define.page<typeof handler>(function Queue({ data, state, url }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("psy.queue.title")} subtitle={t("psy.queue.intro")}>
        <a class="btn btn-secondary" href="/admin/psychologists">{t("common.back")}</a>
      </PageHeader>
      <nav class="tabs" aria-label={t("psy.queue.status")}>
        {applicationStatusSchema.options.map((s) => (
          <a
            key={s}
            href={`/admin/psychologists/applications?status=${s}`}
            class={`btn btn-sm ${s === data.status ? "" : "btn-ghost"}`}
            aria-current={s === data.status ? "page" : undefined}
          >
            {t(`psy.application.${s}`)}
          </a>
        ))}
      </nav>
      <Card>
        {data.list.items.length === 0 ? <Empty t={t} message={t("psy.queue.none")} /> : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("psy.field.name")}</th>
                  <th scope="col">{t("psy.field.email")}</th>
                  <th scope="col">{t("psy.queue.files")}</th>
                  <th scope="col">{t("psy.queue.submitted")}</th>
                  <th scope="col">{t("psy.queue.status")}</th>
                </tr>
              </thead>
              <tbody>
                {data.list.items.map((a) => (
                  <tr key={a.id} data-application-id={a.id}>
                    <td>
                      <a href={`/admin/psychologists/applications/${a.id}`}>{a.name}</a>
                    </td>
                    <td>{a.email}</td>
                    <td>{a.certificateFileIds.length}</td>
                    <td>{formatInstant(a.createdAt, state.lang, config.timeZone)}</td>
                    <td>
                      <Badge tone={TONE[a.status]}>{t(`psy.application.${a.status}`)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination url={url} cursor={data.list.cursor} t={t} />
      </Card>
    </>
  );
});
