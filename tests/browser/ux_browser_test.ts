/**
 * What a new user meets on a phone (390 px), a tablet (1024×768) and a laptop,
 * in real Chromium: no horizontal overflow with a long unbroken guest name, a
 * one-row phone header whose menu works without JavaScript, an English nav that
 * is not clipped, every field error of a form at once (placeholders filled),
 * the bell kept on a form re-render, and a confirmation step before destructive
 * actions. Plus the stylesheet rules of docs/ui.md ("Stylesheets"): raw colours
 * only in tokens.css, AA contrast of the text colour pairs, feature sheets only
 * where declared.
 *
 * The admin stimulus table fits a tablet in both languages.
 *
 * Screenshots (PNG) go to `UX_SCREENSHOTS` when that directory is set.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { createUser, getUser } from "@/lib/auth/users.ts";
import { createAppointment } from "@/lib/guestbook/create.ts";
import { getAppointment } from "@/lib/guestbook/store.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { renderToString } from "preact-render-to-string";
import { BarChart } from "@/components/charts.tsx";
import { hasChromium, launchBrowser, startServer } from "./harness.ts";
import { laterToday } from "../helpers.ts";

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 768 };
const LAPTOP = { width: 1366, height: 800 };
const SHOTS = Deno.env.get("UX_SCREENSHOTS") ?? null;

// ------------------------------------------------------------------ stylesheets (no browser needed)

const STATIC = new URL("../../static/", import.meta.url);
const COLOUR = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/i;

function tokens(): Record<string, string> {
  const css = Deno.readTextFileSync(new URL("tokens.css", STATIC));
  return Object.fromEntries([...css.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

function hex(name: string, t: Record<string, string>): string {
  let v = t[name];
  for (let i = 0; v?.startsWith("var("); i++) v = t[v.slice(4, -1)];
  assert.match(v ?? "", /^#[0-9a-f]{6}$/i, `${name} is an opaque #rrggbb colour`);
  return v;
}

/** WCAG 2.2 relative luminance contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (h: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255)
      .map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

Deno.test("styles: raw colours only in tokens.css; every sheet uses defined tokens", () => {
  const defined = new Set(Object.keys(tokens()));
  for (const e of Deno.readDirSync(STATIC)) {
    if (!e.name.endsWith(".css") || e.name === "tokens.css") continue;
    const css = Deno.readTextFileSync(new URL(e.name, STATIC)).replace(/\/\*[\s\S]*?\*\//g, "");
    const lines = css.split("\n").map((l, i) => [i + 1, l] as const).filter(([, l]) => COLOUR.test(l));
    assert.deepEqual(lines, [], `raw colour values in ${e.name}`);
    // `var(--x, fallback)` is a value set at run time (e.g. --notify-top by the bell island).
    for (const m of css.matchAll(/var\((--[\w-]+)\)/g)) {
      assert.ok(defined.has(m[1]), `${e.name}: ${m[1]} is not a token`);
    }
  }
});

Deno.test("styles: text colour pairs meet WCAG AA (4.5:1)", () => {
  const t = tokens();
  // [text, background] as the sheets use them.
  const pairs: [string, string][] = [
    ["--text", "--bg"],
    ["--text", "--surface"],
    ["--muted", "--surface"],
    ["--muted", "--bg"],
    ["--muted", "--neutral-soft"],
    ["--muted", "--accent-soft"],
    ["--muted", "--primary-soft"],
    ["--muted", "--warning-soft"],
    ["--muted", "--info-soft"],
    ["--muted", "--success-soft"],
    ["--muted", "--danger-soft"],
    ["--primary-dark", "--surface"],
    ["--primary-dark", "--bg"],
    ["--primary-dark", "--primary-soft"],
    ["--on-primary", "--primary"],
    ["--on-primary", "--primary-dark"],
    ["--on-danger", "--danger"],
    ["--on-danger", "--danger-dark"],
    ["--danger", "--surface"],
    ["--danger", "--danger-soft"],
    ["--danger-dark", "--danger-soft"],
    ["--success", "--success-soft"],
    ["--success", "--surface"],
    ["--warning", "--warning-soft"],
    ["--warning-text", "--warning-soft"],
    ["--info", "--info-soft"],
    ["--late", "--late-soft"],
    ["--late", "--surface"],
    ["--on-primary", "--whatsapp"],
    ["--on-primary", "--whatsapp-dark"],
    ["--scan-text", "--scan-stage"],
    ["--on-dark", "--result-ok"],
    ["--result-late-text", "--result-late"],
    ["--on-dark", "--result-error"],
    ["--on-dark", "--result-review"],
  ];
  const low = pairs.map(([f, b]) => [f, b, contrast(hex(f, t), hex(b, t))] as const).filter(([, , r]) => r < 4.5);
  assert.deepEqual(low, [], "text/background pairs under 4.5:1");
  // Stars are graphics (WCAG 1.4.11): 3:1 for the chosen ones.
  assert.ok(contrast(hex("--star-on", t), hex("--surface", t)) >= 3, "filled stars 3:1");
});

Deno.test("charts: count axes tick only at whole numbers", () => {
  for (const top of [1, 2, 3, 7, 12]) {
    const html = renderToString(
      BarChart({
        id: "c",
        title: "t",
        desc: "d",
        tableLabel: "table",
        categoryLabel: "day",
        categories: ["a", "b"],
        series: [{ label: "visits", values: [0, top] }],
      }),
    );
    const grid = [...html.matchAll(/<g class="chart-grid"[^>]*>([\s\S]*?)<\/g><g class="chart-bars"/g)].map((m) =>
      m[1]
    );
    const ticks = grid.flatMap((g) => [...g.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]));
    assert.ok(ticks.length > 0, "ticks rendered");
    assert.ok(ticks.every((v) => /^\d+$/.test(v)), `max ${top}: ticks ${ticks.join(" ")}`);
    assert.ok(ticks.includes(String(top)) || Number(ticks.at(-1)) >= top, `max ${top}: the axis reaches the top`);
  }
});

// ------------------------------------------------------------------ the browser walk

async function signIn(page: Page, base: string, identifier: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** document width vs viewport, and the widest element sticking out (for the message). */
async function overflow(page: Page): Promise<{ scrollWidth: number; culprit: string | null }> {
  return await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    let culprit: string | null = null;
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right > w + 1 && getComputedStyle(el).position !== "fixed") {
        culprit = `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(r.right)}`;
        break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, culprit };
  });
}

async function assertNoOverflow(page: Page, what: string) {
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= PHONE.width, `${what}: page is ${o.scrollWidth}px wide (${o.culprit})`);
}

/** Every visible nav link shows its whole text inside the viewport. */
async function navClipped(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const out: string[] = [];
    for (const a of document.querySelectorAll<HTMLAnchorElement>(".main-nav a")) {
      const r = a.getBoundingClientRect();
      if (r.width === 0) continue;
      if (a.scrollWidth > a.clientWidth + 1 || r.right > innerWidth || r.left < 0) out.push(a.textContent ?? "");
    }
    return out;
  });
}

async function setLang(page: Page, base: string, lang: "id" | "en") {
  await page.context().addCookies([{ name: "lang", value: lang, url: base }]);
}

Deno.test({
  name: "browser: phone/tablet/laptop — overflow, compact header and menu, nav, all errors at once, confirm steps",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    const password = "ux-rahasia-123";
    const teacher = await createUser({ role: "teacher", name: "Bu Ratna", email: "ratna@ux.test", password });
    await createUser({ role: "receptionist", name: "Pak Joko", email: "joko@ux.test", password });
    await createUser({ role: "admin", name: "Admin UX", email: "admin@ux.test", password });
    const victim = await createUser({ role: "teacher", name: "Pak Budi", email: "budi@ux.test", password });
    const longName = "Raden" + "Ajeng".repeat(19); // 100 characters, no space
    const soon = laterToday(60);
    const appt = await createAppointment(
      { guestName: longName, guestPhone: "0812 3456 7001", purpose: "Konsultasi" + "x".repeat(80), startsAt: soon },
      { id: teacher.id, role: "teacher" },
    );
    const browser: Browser = await launchBrowser();
    try {
      // ---- phone, signed out: one-row header, the menu opens without JavaScript.
      const anon = await browser.newContext({ viewport: PHONE, locale: "id-ID", javaScriptEnabled: false });
      const p0 = await anon.newPage();
      await p0.goto(`${base}/`);
      const headerH = await p0.locator(".site-header").evaluate((e) => e.getBoundingClientRect().height);
      assert.ok(headerH <= 64, `phone header is ${headerH}px tall`);
      assert.equal(await p0.locator('link[href*="frontdesk.css"]').count(), 0, "home does not load frontdesk.css");
      assert.equal(await p0.locator('link[href*="components.css"]').count(), 1);
      assert.equal(await p0.locator(".main-nav a").first().isVisible(), false, "menu closed at first");
      await p0.click("summary.menu-toggle");
      assert.ok(await p0.locator(".main-nav a").first().isVisible(), "menu opens without JavaScript");
      assert.ok(await p0.locator('.header-tools a[href="/signin"]').isVisible());
      await p0.goto(`${base}/`);
      await shot(p0, "phone-home");
      await p0.goto(`${base}/signin`);
      await assertNoOverflow(p0, "sign-in");
      await shot(p0, "phone-signin");
      await anon.close();

      // ---- phone, teacher: long name, keyboard menu, every field error at once, bell kept.
      const tctx = await browser.newContext({ viewport: PHONE, locale: "id-ID" });
      const tp = await tctx.newPage();
      await signIn(tp, base, "ratna@ux.test", password);
      for (const path of ["/teacher", `/teacher/appointments/${appt.appointment.id}`]) {
        await tp.goto(`${base}${path}`);
        await assertNoOverflow(tp, path);
      }
      const h = await tp.locator(".site-header").evaluate((e) => e.getBoundingClientRect().height);
      assert.ok(h <= 64, `signed-in phone header is ${h}px tall`);
      assert.ok(await tp.locator('link[href*="frontdesk.css"]').count() === 1, "teacher pages load frontdesk.css");
      await tp.focus("summary.menu-toggle");
      await tp.keyboard.press("Enter");
      assert.equal(await tp.locator("details.site-menu").getAttribute("open"), "", "Enter opens the menu");
      assert.deepEqual(await navClipped(tp), [], "phone menu links not clipped");
      await tp.keyboard.press("Enter");

      await tp.goto(`${base}/teacher/appointments/new`);
      // Bypass the browser's maxlength to see the server's message with its {max}.
      await tp.evaluate((n) => {
        const name = document.querySelector<HTMLInputElement>('input[name="guestName"]')!;
        name.removeAttribute("maxlength");
        name.value = n;
      }, "N".repeat(101));
      await tp.fill('input[name="guestPhone"]', "123");
      await tp.fill('input[name="startsAt"]', "2020-01-01T09:00");
      await Promise.all([tp.waitForNavigation(), tp.click('main form button[type="submit"]')]);
      const errors = await tp.locator(".field-error").allTextContents();
      assert.equal(errors.length, 4, `four field errors at once: ${JSON.stringify(errors)}`);
      assert.ok(errors.some((e) => e.includes("maksimal 100 karakter")), `{max} filled: ${errors}`);
      assert.ok(errors.every((e) => !/[{}]/.test(e)), "no raw placeholder");
      assert.ok(
        errors.includes(translate("id", "guestbook.starts_in_past")),
        `past date shown with the rest: ${errors}`,
      );
      assert.equal(await tp.locator(".notify").count(), 1, "the bell stays on the re-rendered form");
      await assertNoOverflow(tp, "teacher form with errors");
      await shot(tp, "phone-teacher-form-errors");

      // Cancel asks first; "keep" changes nothing; confirming cancels.
      await tp.goto(`${base}/teacher/appointments/${appt.appointment.id}`);
      await Promise.all([tp.waitForNavigation(), tp.click('a[href*="confirm=cancel"]')]);
      assert.ok(await tp.locator('[data-testid="confirm-step"]').isVisible(), "confirm step shown");
      assert.equal(await tp.locator('[data-testid="confirm-step"] button.btn-danger').count(), 1);
      await assertNoOverflow(tp, "cancel confirm step");
      await shot(tp, "phone-cancel-confirm");
      await Promise.all([tp.waitForNavigation(), tp.click('[data-testid="confirm-step"] a.btn-secondary')]);
      assert.equal((await getAppointment(appt.appointment.id))!.status, "scheduled", "going back changes nothing");
      await Promise.all([tp.waitForNavigation(), tp.click('a[href*="confirm=cancel"]')]);
      await Promise.all([tp.waitForNavigation(), tp.click('[data-testid="confirm-step"] button.btn-danger')]);
      assert.equal((await getAppointment(appt.appointment.id))!.status, "cancelled");
      await tctx.close();

      // ---- tablet, receptionist: today page and walk-in form, English nav not clipped.
      const rctx = await browser.newContext({ viewport: TABLET, locale: "id-ID" });
      const rp = await rctx.newPage();
      await signIn(rp, base, "joko@ux.test", password);
      await rp.goto(`${base}/frontdesk`);
      assert.ok((await overflow(rp)).scrollWidth <= TABLET.width, "today page fits the tablet");
      await shot(rp, "tablet-frontdesk-today");
      await rp.goto(`${base}/frontdesk/walk-in`);
      await rp.fill('input[name="guestName"]', "Sari");
      await Promise.all([rp.waitForNavigation(), rp.click('main form button[type="submit"]')]);
      const walkErrors = await rp.locator(".field-error").allTextContents();
      assert.ok(
        walkErrors.includes(translate("id", "guestbook.teacher_required")),
        `specific teacher error: ${walkErrors}`,
      );
      assert.ok(!walkErrors.includes(translate("id", "field.invalid")), "no generic error");
      assert.ok(walkErrors.length >= 3, `phone, purpose and teacher at once: ${walkErrors}`);
      // The desk's reset of a guest's portal password asks first too.
      await rp.goto(`${base}/frontdesk/guests/${appt.guest.id}`);
      assert.equal(await rp.locator('form[action$="/reset-password"]').count(), 0, "no one-tap reset");
      await Promise.all([rp.waitForNavigation(), rp.click('a[href*="confirm=reset"]')]);
      assert.ok(await rp.locator('[data-testid="confirm-step"] form[action$="/reset-password"]').isVisible());
      await setLang(rp, base, "en");
      await rp.goto(`${base}/frontdesk`);
      assert.deepEqual(await navClipped(rp), [], "English nav on a tablet");
      await rctx.close();

      // ---- laptop, admin: users list, deactivate and reset ask first.
      const actx = await browser.newContext({ viewport: LAPTOP, locale: "en-GB" });
      const ap = await actx.newPage();
      await setLang(ap, base, "en");
      await signIn(ap, base, "admin@ux.test", password);
      await ap.goto(`${base}/admin/users`);
      assert.deepEqual(await navClipped(ap), [], "English nav on a laptop");
      await shot(ap, "laptop-admin-users");
      await ap.goto(`${base}/admin/users/${victim.id}`);
      assert.equal(
        await ap.locator('form input[name="action"][value="deactivate"]').count(),
        0,
        "no one-tap deactivate",
      );
      assert.equal(await ap.locator('form input[name="action"][value="reset"]').count(), 0, "no one-tap reset");
      await Promise.all([ap.waitForNavigation(), ap.click('a[href*="confirm=deactivate"]')]);
      const step = ap.locator('[data-testid="confirm-step"]');
      assert.ok(await step.isVisible());
      const bg = await step.locator("button.btn-danger").evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.equal(bg, "rgb(179, 38, 30)", "the confirm button is red (--danger)");
      await shot(ap, "laptop-deactivate-confirm");
      await Promise.all([ap.waitForNavigation(), step.locator("button.btn-danger").click()]);
      assert.equal((await getUser(victim.id))!.status, "deactivated");
      await Promise.all([ap.waitForNavigation(), ap.click('a[href*="confirm=reset"]')]);
      assert.ok(await ap.locator('[data-testid="confirm-step"]').isVisible(), "reset asks first");
      await actx.close();
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "browser: the admin stimulus table fits a tablet (820 and 1180 px, id and en) without sideways scrolling",
  ignore: !hasChromium(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer();
    const base = server.url;
    const password = "ux-rahasia-123";
    await createUser({ role: "admin", name: "Admin Stimuli", email: "stimuli@ux.test", password });
    const browser: Browser = await launchBrowser();
    try {
      for (const viewport of [{ width: 820, height: 1180 }, { width: 1180, height: 820 }]) {
        for (const lang of ["id", "en"] as const) {
          const ctx = await browser.newContext({ viewport });
          const page = await ctx.newPage();
          await setLang(page, base, lang);
          await signIn(page, base, "stimuli@ux.test", password);
          await page.goto(`${base}/admin/screening`);
          const what = `${viewport.width}px ${lang}`;
          assert.equal(await page.locator(".stimuli-table tbody tr").count(), 14, `${what}: the 14 pictures`);
          const [scroll, client] = await page.locator(".stimuli-table").evaluate((t) => {
            const wrap = t.closest(".table-wrap")!;
            return [wrap.scrollWidth, wrap.clientWidth];
          });
          assert.ok(scroll <= client, `${what}: the stimulus table is ${scroll}px in a ${client}px box`);
          // Each row keeps every control usable: the caption boxes are not squeezed to nothing.
          const narrowest = await page.locator(".stimuli-table textarea").evaluateAll((els) =>
            Math.min(...els.map((e) => e.getBoundingClientRect().width))
          );
          assert.ok(narrowest >= 110, `${what}: caption boxes ${narrowest}px wide`);
          assert.ok((await overflow(page)).scrollWidth <= viewport.width, `${what}: the page does not widen`);
          await shot(page, `tablet-admin-stimuli-${viewport.width}-${lang}`);
          await ctx.close();
        }
      }
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
