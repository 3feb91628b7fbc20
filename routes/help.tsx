import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";

/**
 * `/help`, linked from the footer of every page (no islands, no JavaScript):
 * the emergency number 119, the Ministry of Health's line 119 ext 8 (office
 * hours), healing119.id, and how to reach the centre's psychologists
 * (docs/domain-rules.md, "Help").
 */
export const handler = define.handlers({
  GET(ctx) {
    addSheets(ctx.state, "home");
    ctx.state.title = ctx.state.t("help.title");
    return ctx.render();
  },
});

export default define.page(function Help({ state }) {
  const { t, user } = state;
  return (
    <div class="help">
      <h1>{t("help.title")}</h1>
      <p class="lead">{t("help.intro")}</p>
      <ul class="help-list">
        <li class="card help-item help-emergency">
          <h2 class="card-title">{t("help.emergency.title")}</h2>
          <p>{t("help.emergency.body")}</p>
          <p>
            <a class="btn btn-danger" href="tel:119">{t("help.emergency.call")}</a>
          </p>
        </li>
        <li class="card help-item">
          <h2 class="card-title">{t("help.kemenkes.title")}</h2>
          <p>{t("help.kemenkes.body")}</p>
          <p>
            <a class="btn btn-secondary" href="tel:119,8">119 ext 8</a>
          </p>
        </li>
        <li class="card help-item">
          <h2 class="card-title">{t("help.healing.title")}</h2>
          <p>{t("help.healing.body")}</p>
          <p>
            <a class="btn btn-secondary" href="https://healing119.id" rel="noopener noreferrer">
              {t("help.healing.open")}
            </a>
          </p>
        </li>
        <li class="card help-item">
          <h2 class="card-title">{t("help.centre.title")}</h2>
          <p>{t("help.centre.body")}</p>
          {user ? null : (
            <p class="hero-actions help-actions">
              <a class="btn" href="/signin">{t("help.centre.signin")}</a>
              <a class="btn btn-secondary" href="/register">{t("help.centre.register")}</a>
            </p>
          )}
          <ul class="help-soon">
            <li>
              <a href="/psychologists">{t("help.centre.booking")}</a>
            </li>
            <li>
              <a href="/chatbot">{t("help.centre.chatbot")}</a>
            </li>
          </ul>
        </li>
      </ul>
      <p class="notice">{t("help.disclaimer")}</p>
    </div>
  );
});
