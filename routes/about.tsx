import { define } from "@/lib/define.ts";
import { Card, PageHeader } from "@/components/ui.tsx";
import { VERSION } from "@/lib/version.ts";

/** About page: what RuangPulih is, the screening disclaimer and crisis line. No islands, no JavaScript. */
export const handler = define.handlers({
  GET(ctx) {
    ctx.state.title = ctx.state.t("about.title");
    return ctx.render();
  },
});

export default define.page(function About({ state }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("about.title")} />
      <Card>
        <p>{t("about.body")}</p>
        <p class="notice">{t("about.disclaimer")}</p>
        <p class="muted">{t("about.version")}: {VERSION}</p>
      </Card>
    </>
  );
});
