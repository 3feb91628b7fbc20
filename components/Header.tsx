import type { ComponentChildren } from "preact";
import type { User } from "@/lib/auth/users.ts";
import type { Lang, T } from "@/lib/i18n/mod.ts";
import HeaderMenus from "@/islands/HeaderMenus.tsx";

/** One navigation link: [href, i18n key]. */
export type NavLink = [string, string];

/**
 * Navigation per role. `main` links sit in the header row on laptops; `more` links sit in
 * the "Lainnya / More" drop-down there (so the header stays one row at 1024 px and up). On
 * phones the menu shows both lists as one column. The first `main` link is the role's home.
 */
export const NAV: Record<User["role"], { main: NavLink[]; more: NavLink[] }> = {
  client: {
    main: [
      ["/client", "nav.home"],
      ["/psychologists", "nav.psychologists"],
      ["/client/bookings", "nav.client.bookings"],
      ["/screening/history", "nav.screening"],
      ["/chatbot", "nav.chatbot"],
    ],
    more: [
      ["/client/payments", "nav.client.payments"],
      ["/articles", "nav.articles"],
      ["/profile", "nav.profile"],
    ],
  },
  psychologist: {
    main: [
      ["/psychologist", "nav.home"],
      ["/psychologist/queue", "nav.psychologist.queue"],
      ["/psychologist/bookings", "nav.psychologist.sessions"],
      ["/chat", "nav.chat"],
      ["/psychologist/stats", "nav.psychologist.stats"],
    ],
    more: [
      ["/psychologist/history", "nav.psychologist.history"],
      ["/psychologist/availability", "nav.psychologist.availability"],
      ["/psychologist/profile", "nav.psychologist.practice"],
      ["/profile", "nav.profile"],
    ],
  },
  teacher: {
    main: [["/teacher", "nav.teacher.today"], ["/teacher/appointments/new", "nav.teacher.new"], [
      "/profile",
      "nav.profile",
    ]],
    more: [],
  },
  receptionist: {
    main: [
      ["/frontdesk", "nav.frontdesk.dashboard"],
      ["/frontdesk/scan", "nav.frontdesk.scan"],
      ["/frontdesk/guests", "nav.frontdesk.guests"],
      ["/frontdesk/reports", "nav.reports"],
      ["/profile", "nav.profile"],
    ],
    more: [],
  },
  admin: {
    main: [
      ["/admin", "nav.home"],
      ["/admin/users", "nav.admin.users"],
      ["/admin/psychologists", "nav.admin.psychologists"],
      ["/admin/transactions", "nav.admin.transactions"],
      ["/admin/finance", "nav.admin.finance"],
    ],
    more: [
      ["/admin/stats", "nav.admin.stats"],
      ["/admin/reviews", "nav.admin.reviews"],
      ["/admin/screening", "nav.screening"],
      ["/admin/articles", "nav.articles"],
      ["/frontdesk", "nav.frontdesk.dashboard"],
      ["/frontdesk/reports", "nav.reports"],
      ["/admin/audit", "nav.admin.audit"],
      ["/profile", "nav.profile"],
    ],
  },
  guest: { main: [["/guest", "nav.guest.appointments"]], more: [] },
};

/** Every navigation link of a role, `main` then `more` (kept for callers that want a flat list). */
export const NAV_BY_ROLE: Record<User["role"], NavLink[]> = Object.fromEntries(
  Object.entries(NAV).map(([role, n]) => [role, [...n.main, ...n.more]]),
) as Record<User["role"], NavLink[]>;

const SIGNED_OUT: { main: NavLink[]; more: NavLink[] } = {
  main: [["/psychologists", "nav.psychologists"], ["/chatbot", "nav.chatbot"], ["/articles", "nav.articles"], [
    "/about",
    "nav.about",
  ]],
  more: [],
};

/**
 * The link that marks where the user is: an exact match, else the longest link that is a
 * path prefix of `path` (`/psychologist/bookings/01…/notes` → "Sesi"). The role's home link
 * (the first one) only matches exactly, or it would claim every page of the role.
 */
export function currentNav(links: NavLink[], path: string): { href: string; exact: boolean } | null {
  const exact = links.find(([href]) => href === path);
  if (exact) return { href: exact[0], exact: true };
  let best: string | null = null;
  links.forEach(([href], i) => {
    if (i === 0) return;
    if (path.startsWith(href + "/") && (!best || href.length > best.length)) best = href;
  });
  return best ? { href: best, exact: false } : null;
}

/**
 * The site header: brand, notification bell, and a menu with the role
 * navigation, the language switch and sign in/out.
 *
 * The menu is a `<details>` disclosure, so it opens without JavaScript and is
 * announced as an expandable button; on phones it drops down below the one-row
 * header and lists every link in one column. From 1120 px its content sits inline,
 * the toggle is hidden, and the role's `more` links move into a second `<details>`
 * ("Lainnya"), so the row never wraps (`static/base.css`, "Header"). Each `more` link
 * is rendered twice (column item for phones, drop-down item for laptops); the copy
 * that does not apply is `display: none`, so assistive technology meets each link once.
 * For signed-in users the `HeaderMenus` island closes an open menu on Escape, on a click
 * outside, and (the drop-down) when focus leaves it.
 */
export function Header(
  { user, t, lang, path, bell }: { user: User | null; t: T; lang: Lang; path: string; bell?: ComponentChildren },
) {
  const nav = user ? NAV[user.role] : SIGNED_OUT;
  const current = currentNav([...nav.main, ...nav.more], path);
  const mark = (href: string) => current?.href === href ? (current.exact ? "page" : "true") : undefined;
  const moreHasCurrent = nav.more.some(([href]) => current?.href === href);
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
                {nav.main.map(([href, key]) => (
                  <li>
                    <a href={href} aria-current={mark(href)}>{t(key)}</a>
                  </li>
                ))}
                {nav.more.map(([href, key]) => (
                  <li class="nav-extra">
                    <a href={href} aria-current={mark(href)}>{t(key)}</a>
                  </li>
                ))}
                {nav.more.length > 0
                  ? (
                    <li class="nav-more-item">
                      <details class="nav-more">
                        <summary class={moreHasCurrent ? "nav-more-toggle is-current" : "nav-more-toggle"}>
                          {t("nav.more")}
                        </summary>
                        <ul class="nav-more-list">
                          {nav.more.map(([href, key]) => (
                            <li>
                              <a href={href} aria-current={mark(href)}>{t(key)}</a>
                            </li>
                          ))}
                        </ul>
                      </details>
                    </li>
                  )
                  : null}
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
      {user ? <HeaderMenus /> : null}
    </header>
  );
}
