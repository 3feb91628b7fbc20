/**
 * The footer of every page (rendered by `routes/_app.tsx`, error pages
 * included): the crisis numbers (119, 119 ext 8, healing119.id) and a link to
 * `/help`, so help is one tap away from anywhere (docs/domain-rules.md, "Help").
 */
import type { T } from "@/lib/i18n/mod.ts";

/** The site footer: help link first, then the crisis line, then the about link. */
export function Footer({ t }: { t: T }) {
  return (
    <footer class="site-footer">
      <div class="container footer-inner">
        <p class="footer-help">
          <a class="footer-help-link" href="/help" aria-label={t("footer.help_link_label")}>
            {t("footer.need_help")}
          </a>
        </p>
        <p class="footer-crisis">{t("footer.crisis_line")}</p>
        <p>
          <a href="/about">{t("nav.about")}</a> · © RuangPulih
        </p>
      </div>
    </footer>
  );
}
