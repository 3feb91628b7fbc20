import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { countUsersByRole } from "@/lib/auth/admin.ts";
import { ROLES } from "@/lib/auth/users.ts";
import { adminCards } from "@/lib/admin/home.ts";
import { Card, PageHeader } from "@/components/ui.tsx";

/**
 * The admin console home: one card per admin area (lib/admin/home.ts `ADMIN_AREAS`) with its
 * live count, linking to the area, then the accounts per role linking to the filtered user list.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "admin");
    ctx.state.title = ctx.state.t("admin.home.title");
    const [cards, counts] = await Promise.all([
      adminCards({ nowMs: Date.now(), lang: ctx.state.lang }),
      countUsersByRole(),
    ]);
    return page({ cards, counts });
  },
});

export default define.page<typeof handler>(function AdminHome({ data, state }) {
  const t = state.t;
  return (
    <div class="admin-page">
      <PageHeader title={t("admin.home.title")} subtitle={t("admin.home.intro")}>
        <a class="btn" href="/admin/users/new">{t("admin.users.new")}</a>
      </PageHeader>
      <ul class="admin-cards" data-testid="admin-cards">
        {data.cards.map((c) => (
          <li key={c.id}>
            <a class="admin-card" href={c.href} data-testid={`admin-card-${c.id}`}>
              <span class="admin-card-title">{t(c.titleKey)}</span>
              <span class="admin-card-count">{c.value}</span>
              <span class="admin-card-detail">{t(c.detailKey)}</span>
            </a>
          </li>
        ))}
      </ul>
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
    </div>
  );
});
