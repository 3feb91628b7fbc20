import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";

/** The psychologist's home: an overview of their practice tools. */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "psychologist");
    ctx.state.title = ctx.state.t("nav.home");
    return ctx.render();
  },
});

const CARDS: HomeCard[] = [
  ["home.psychologist.today", "home.psychologist.today_body"],
  ["home.psychologist.schedule", "home.psychologist.schedule_body"],
  ["home.psychologist.profile", "home.psychologist.profile_body"],
  ["home.psychologist.stats", "home.psychologist.stats_body"],
];

export default define.page(function PsychologistHome({ state: { t, user } }) {
  return (
    <HomeCards
      t={t}
      title={t("home.welcome", { name: user?.name ?? "" })}
      subtitle={t("home.psychologist.intro")}
      cards={CARDS}
    />
  );
});
