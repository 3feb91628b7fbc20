import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { countUsersByRole } from "@/lib/auth/accounts.ts";
import { ROLES } from "@/lib/auth/users.ts";
import { Card, PageHeader } from "@/components/ui.tsx";

/** The admin's home: accounts per role and links to user management and the audit log. */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("admin.title");
    return page({ counts: await countUsersByRole() });
  },
});

export default define.page<typeof handler>(function AdminHome({ data, state }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("admin.title")} subtitle={t("admin.intro")}>
        <a class="btn" href="/admin/users/new">{t("admin.users.new")}</a>
        <a class="btn btn-secondary" href="/admin/articles">{t("articles.admin.title")}</a>
        <a class="btn btn-secondary" href="/admin/reviews">{t("review.admin.link")}</a>
        <a class="btn btn-secondary" href="/admin/screening">{t("screening.admin.card")}</a>
        <a class="btn btn-secondary" href="/admin/audit">
          {t("admin.audit.title")}
        </a>
      </PageHeader>
      <Card title={t("admin.users")}>
        <div class="grid-3">
          {ROLES.map((r) => (
            <a class="stat" href={`/admin/users?role=${r}`}>
              <span class="stat-value">{data.counts[r]}</span>
              <span class="stat-label">{t(`role.${r}`)}</span>
            </a>
          ))}
        </div>
      </Card>
    </>
  );
});
