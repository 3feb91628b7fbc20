import { define } from "../../lib/define.ts";
import { requireRole } from "../../lib/auth/guard.ts";
import { Badge, Card, PageHeader } from "../../components/ui.tsx";

/** The psychologist's home: an overview of their practice tools. */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "psychologist");
    ctx.state.title = ctx.state.t("nav.home");
    return ctx.render();
  },
});

const CARDS: [string, string][] = [
  ["home.psychologist.today", "home.psychologist.today_body"],
  ["home.psychologist.schedule", "home.psychologist.schedule_body"],
  ["home.psychologist.profile", "home.psychologist.profile_body"],
  ["home.psychologist.stats", "home.psychologist.stats_body"],
];

export default define.page(function PsychologistHome({ state }) {
  const t = state.t;
  return (
    <>
      <PageHeader
        title={t("home.welcome", { name: state.user?.name ?? "" })}
        subtitle={t("home.psychologist.intro")}
      />
      <div class="grid-2">
        {CARDS.map(([title, body]) => (
          <Card title={t(title)}>
            <p>{t(body)}</p>
            <Badge tone="info">{t("common.coming_soon")}</Badge>
          </Card>
        ))}
      </div>
    </>
  );
});
