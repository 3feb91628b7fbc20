import { define } from "@/lib/define.ts";

/** Landing page: what the centre offers; signed-in users go to their role home. */
export const handler = define.handlers({
  GET(ctx) {
    if (ctx.state.user) return ctx.redirect("/home", 303);
    return ctx.render();
  },
});

export default define.page(function Landing({ state }) {
  const t = state.t;
  return (
    <>
      <section class="hero">
        <h1>{t("app.name")}</h1>
        <p class="lead">{t("app.tagline")}</p>
        <p class="hero-actions">
          <a class="btn btn-lg" href="/register">{t("nav.register")}</a>
          <a class="btn btn-secondary btn-lg" href="/signin">{t("nav.signin")}</a>
        </p>
      </section>
      <section class="grid-3">
        <div class="card">
          <h2 class="card-title">{t("landing.screening.title")}</h2>
          <p>{t("landing.screening.body")}</p>
        </div>
        <div class="card">
          <h2 class="card-title">{t("landing.counselling.title")}</h2>
          <p>{t("landing.counselling.body")}</p>
        </div>
        <div class="card">
          <h2 class="card-title">{t("landing.frontdesk.title")}</h2>
          <p>{t("landing.frontdesk.body")}</p>
        </div>
      </section>
      <p class="notice">{t("about.disclaimer")}</p>
    </>
  );
});
