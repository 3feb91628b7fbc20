import type { ComponentChildren } from "preact";
import type { User } from "@/lib/auth/users.ts";
import type { Lang, T } from "@/lib/i18n/mod.ts";

/** Navigation links per role: [href, i18n key]. */
export const NAV_BY_ROLE: Record<User["role"], [string, string][]> = {
  client: [
    ["/client", "nav.home"],
    ["/psychologists", "nav.psychologists"],
    ["/client/bookings", "nav.client.bookings"],
    ["/client/payments", "nav.client.payments"],
    ["/screening/history", "nav.screening"],
    ["/chatbot", "nav.chatbot"],
    ["/articles", "nav.articles"],
    ["/profile", "nav.profile"],
  ],
  psychologist: [
    ["/psychologist", "nav.home"],
    ["/psychologist/queue", "nav.psychologist.queue"],
    ["/psychologist/bookings", "nav.psychologist.sessions"],
    ["/chat", "nav.chat"],
    ["/psychologist/stats", "nav.psychologist.stats"],
    ["/psychologist/availability", "nav.psychologist.availability"],
    ["/psychologist/profile", "nav.psychologist.practice"],
    ["/profile", "nav.profile"],
  ],
  teacher: [["/teacher", "nav.teacher.today"], ["/teacher/appointments/new", "nav.teacher.new"], [
    "/profile",
    "nav.profile",
  ]],
  receptionist: [
    ["/frontdesk", "nav.frontdesk.dashboard"],
    ["/frontdesk/scan", "nav.frontdesk.scan"],
    ["/frontdesk/guests", "nav.frontdesk.guests"],
    ["/frontdesk/reports", "nav.reports"],
    ["/profile", "nav.profile"],
  ],
  admin: [
    ["/admin", "nav.home"],
    ["/admin/users", "nav.admin.users"],
    ["/admin/psychologists", "nav.admin.psychologists"],
    ["/frontdesk", "nav.frontdesk.dashboard"],
    ["/frontdesk/reports", "nav.reports"],
    ["/admin/audit", "nav.admin.audit"],
  ],
  guest: [["/guest", "nav.guest.appointments"]],
};

/**
 * The site header: brand, notification bell, and a menu with the role
 * navigation, the language switch and sign in/out.
 *
 * The menu is a `<details>` disclosure, so it opens without JavaScript and is
 * announced as an expandable button; on phones it drops down below the one-row
 * header, from 860 px its content sits inline and the toggle is hidden
 * (`static/base.css`, "Header").
 */
export function Header(
  { user, t, lang, path, bell }: { user: User | null; t: T; lang: Lang; path: string; bell?: ComponentChildren },
) {
  const links = user
    ? NAV_BY_ROLE[user.role]
    : [["/psychologists", "nav.psychologists"], ["/chatbot", "nav.chatbot"], ["/articles", "nav.articles"], [
      "/about",
      "nav.about",
    ]] as [
      string,
      string,
    ][];
  const other: Lang = lang === "id" ? "en" : "id";
  return (
    <header class="site-header">
      <div class="header-inner">
        <a class="brand" href={user ? "/home" : "/"}>
          <span class="brand-mark" aria-hidden="true">◐</span> {t("app.name")}
        </a>
        {bell ? <div class="header-bell">{bell}</div> : null}
        <details class="site-menu">
          <summary class="menu-toggle">
            <span class="menu-icon" aria-hidden="true" />
            <span class="menu-label">{t("nav.menu")}</span>
          </summary>
          <div class="menu-panel">
            <nav class="main-nav" aria-label={t("nav.main")}>
              <ul>
                {links.map(([href, key]) => (
                  <li>
                    <a href={href} aria-current={path === href ? "page" : undefined}>{t(key)}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="header-tools">
              <a
                class="lang-switch"
                href={`/lang?to=${other}&next=${encodeURIComponent(path)}`}
                hreflang={other}
                lang={other}
              >
                {t("lang.switch")}
              </a>
              {user
                ? (
                  <form method="post" action="/signout" class="inline-form">
                    <button type="submit" class="btn btn-ghost">{t("nav.signout")}</button>
                  </form>
                )
                : (
                  <>
                    <a class="btn btn-ghost" href="/signin">{t("nav.signin")}</a>
                    <a class="btn" href="/register">{t("nav.register")}</a>
                  </>
                )}
            </div>
          </div>
        </details>
      </div>
    </header>
  );
}
