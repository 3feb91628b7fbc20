/**
 * The header navigation (components/Header.tsx): at most five `main` links per role so the
 * laptop row does not wrap, every label translated, the current place found for deeper pages,
 * and the "more" links rendered for both layouts (phone column, laptop drop-down).
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { currentNav, Header, NAV, NAV_BY_ROLE } from "@/components/Header.tsx";
import { dictionaries, translate } from "@/lib/i18n/mod.ts";
import type { User } from "@/lib/auth/users.ts";

Deno.test("nav: at most five main links per role, labels in both languages, no duplicates", () => {
  for (const [role, nav] of Object.entries(NAV)) {
    assert.ok(nav.main.length <= 5, `${role}: ${nav.main.length} main links`);
    const hrefs = [...nav.main, ...nav.more].map(([h]) => h);
    assert.equal(new Set(hrefs).size, hrefs.length, `${role}: duplicate link`);
    for (const [, key] of [...nav.main, ...nav.more]) {
      assert.ok(dictionaries.id[key] && dictionaries.en[key], `${role}: ${key} missing`);
    }
    assert.deepEqual(NAV_BY_ROLE[role as User["role"]], [...nav.main, ...nav.more]);
  }
});

Deno.test("nav: the current link is the exact page, else the longest section prefix; home only exactly", () => {
  const links = NAV.psychologist.main.concat(NAV.psychologist.more);
  assert.deepEqual(currentNav(links, "/psychologist"), { href: "/psychologist", exact: true });
  assert.deepEqual(currentNav(links, "/psychologist/bookings/01ABC/notes"), {
    href: "/psychologist/bookings",
    exact: false,
  });
  assert.equal(currentNav(links, "/psychologist/patients/01ABC"), null, "home does not claim every page");
  assert.equal(currentNav(links, "/psychologist/queuex"), null, "prefix only at a path boundary");
  const admin = NAV.admin.main.concat(NAV.admin.more);
  assert.equal(currentNav(admin, "/frontdesk/reports")?.href, "/frontdesk/reports");
});

Deno.test("header: more links twice (phone item, laptop drop-down), summary marked when current is inside", () => {
  const user = { id: "u1", role: "admin", name: "A" } as unknown as User;
  const t = (k: string) => translate("id", k);
  const html = renderToString(Header({ user, t, lang: "id", path: "/admin/reviews" }));
  assert.equal(html.match(/href="\/admin\/reviews"/g)?.length, 2);
  assert.match(html, /<li class="nav-extra"><a href="\/admin\/reviews" aria-current="page">Ulasan<\/a>/);
  assert.match(html, /<summary class="nav-more-toggle is-current">Lainnya<\/summary>/);
  const home = renderToString(Header({ user, t, lang: "id", path: "/admin" }));
  assert.match(home, /<summary class="nav-more-toggle">Lainnya<\/summary>/);
  const teacher = renderToString(
    Header({ user: { ...user, role: "teacher" } as User, t, lang: "id", path: "/teacher" }),
  );
  assert.ok(!teacher.includes("nav-more"), "no empty drop-down for roles without more links");
});
