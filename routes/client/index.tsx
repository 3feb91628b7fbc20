import { define } from "../../lib/define.ts";
import { requireRole } from "../../lib/auth/guard.ts";
import { Badge, Card, PageHeader } from "../../components/ui.tsx";

/** The client's home: what they can do, with the screening disclaimer. */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "client");
    ctx.state.title = ctx.state.t("nav.home");
    return ctx.render();
  },
});

const CARDS: [string, string][] = [
  ["home.client.screening", "home.client.screening_body"],
  ["home.client.psychologists", "home.client.psychologists_body"],
  ["home.client.bookings", "home.client.bookings_body"],
  ["home.client.chatbot", "home.client.chatbot_body"],
];

export default define.page(function ClientHome({ state }) {
  const t = state.t;
  return (
    <>
      <PageHeader
        title={t("home.welcome", { name: state.user?.name ?? "" })}
        subtitle={t("home.client.intro")}
      />
      <div class="grid-2">
        {CARDS.map(([title, body]) => (
          <Card title={t(title)}>
            <p>{t(body)}</p>
            <Badge tone="info">{t("common.coming_soon")}</Badge>
          </Card>
        ))}
      </div>
      <p class="notice">{t("about.disclaimer")}</p>
    </>
  );
});
