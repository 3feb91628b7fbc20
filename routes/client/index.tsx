import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";

/** The client's home: what they can do, with the screening disclaimer. */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "client");
    ctx.state.title = ctx.state.t("nav.home");
    return ctx.render();
  },
});

const CARDS: HomeCard[] = [
  ["home.client.screening", "home.client.screening_body"],
  ["home.client.psychologists", "home.client.psychologists_body"],
  ["home.client.bookings", "home.client.bookings_body"],
  ["home.client.chatbot", "home.client.chatbot_body"],
];

export default define.page(function ClientHome({ state: { t, user } }) {
  return (
    <HomeCards
      t={t}
      title={t("home.welcome", { name: user?.name ?? "" })}
      subtitle={t("home.client.intro")}
      cards={CARDS}
      notice={t("about.disclaimer")}
    />
  );
});
