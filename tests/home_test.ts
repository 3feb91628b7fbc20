/**
 * The public home page and the help page over real HTTP (app.handler(), real
 * `:memory:` KV): neither ships a `<script>`; the footer's help link and the
 * crisis numbers are on every kind of page (anonymous, client, staff, an
 * error page), in both languages; `/help` lists 119, 119 ext 8 and
 * healing119.id; the home page marks the parts not built yet as coming soon;
 * the home page and a signed-in client's home show the latest 3 published
 * articles, the UI language's first (drafts and scheduled ones never).
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, type Handler, makeUser, signIn } from "./helpers.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { createArticle } from "@/lib/articles/store.ts";
import { saveFile } from "@/lib/files/store.ts";
import { PNG } from "pngjs";

let handler: Handler;

async function html(path: string, opts: { cookie?: string; lang?: "id" | "en" } = {}) {
  const cookie = [opts.cookie, opts.lang ? `lang=${opts.lang}` : null].filter(Boolean).join("; ");
  const res = await get(handler, path, { cookie: cookie || undefined });
  return { status: res.status, body: await res.text(), res };
}

function assertFooter(body: string, lang: "id" | "en", where: string) {
  const footer = body.slice(body.indexOf("<footer"));
  assert.ok(footer.startsWith("<footer"), `${where}: has a footer`);
  const link = footer.match(/<a[^>]*href="\/help"[^>]*>([^<]*)<\/a>/);
  assert.ok(link, `${where}: footer links to /help`);
  assert.equal(link[1], translate(lang, "footer.need_help"), `${where}: help link text`);
  assert.match(footer, /healing119\.id/, `${where}: footer names healing119.id`);
  assert.match(footer, /\b119\b/, `${where}: footer names 119`);
}

/** A `w`×`h` PNG cover (a green gradient), made here with pngjs. */
function coverPng(w = 320, h = 180): Uint8Array {
  const img = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (y * w + x) * 4;
      img.data[at] = 47 + Math.round((x / w) * 60);
      img.data[at + 1] = 125 + Math.round((y / h) * 80);
      img.data[at + 2] = 109;
      img.data[at + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(img));
}

Deno.test({
  name: "home and help",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await freshKv();
    handler = await appHandler();

    await t.step("/ and /help ship no JavaScript", async () => {
      for (const path of ["/", "/help"]) {
        for (const lang of ["id", "en"] as const) {
          const { status, body } = await html(path, { lang });
          assert.equal(status, 200, path);
          assert.doesNotMatch(body, /<script/i, `${path} (${lang}) has no <script>`);
          assert.doesNotMatch(body, /\son[a-z]+=/i, `${path} (${lang}) has no inline handlers`);
          assert.doesNotMatch(body, /modulepreload/i, `${path} (${lang}) preloads no module`);
        }
      }
    });

    await t.step("home: what the centre offers, every part available, sign-in and register", async () => {
      for (const lang of ["id", "en"] as const) {
        const { body } = await html("/", { lang });
        for (
          const key of [
            "landing.screening.title",
            "landing.offer.psychologists.title",
            "landing.offer.chat.title",
            "landing.offer.chatbot.title",
            "landing.frontdesk.title",
          ]
        ) assert.ok(body.includes(translate(lang, key)), `${lang}: offers ${key}`);
        const soon = body.split(translate(lang, "common.coming_soon")).length - 1;
        assert.equal(soon, 0, `${lang}: every part is built now, none says coming soon`);
        assert.match(body, /href="\/screening"/, `${lang}: the screening is linked`);
        assert.match(body, /href="\/psychologists"/, `${lang}: the directory is linked`);
        assert.match(body, /href="\/chatbot"/, `${lang}: CnBuddy is live and linked`);
        assert.ok(body.includes(translate(lang, "landing.offer.live")), `${lang}: the guest book is available`);
        assert.ok(body.includes(translate(lang, "landing.articles.none")), `${lang}: no articles yet, said so`);
        assert.match(body, /href="\/register"/);
        assert.match(body, /href="\/signin"/);
        assert.match(body, /href="\/[^"]*home[^"]*\.css"|home\.css/, "the home sheet is linked");
      }
    });

    await t.step("/help: 119, 119 ext 8 (office hours), healing119.id, the centre", async () => {
      for (const lang of ["id", "en"] as const) {
        const { body } = await html("/help", { lang });
        assert.match(body, /href="tel:119"/, "a call link to 119");
        assert.match(body, /119 ext 8/);
        assert.match(body, /href="https:\/\/healing119\.id"/);
        assert.ok(body.includes(translate(lang, "help.kemenkes.body")), "Kemenkes line with its hours");
        assert.ok(body.includes(translate(lang, "help.centre.body")), "how to reach the centre");
        assert.match(body, /<a class="btn" href="\/signin">/, "anonymous: sign in as a client");
        // the directory and CnBuddy are linked
        assert.match(body, /href="\/psychologists"/);
        assert.match(body, /href="\/chatbot"/);
      }
    });

    await t.step("the footer with the help link is on every kind of page", async () => {
      const client = await makeUser("client");
      const staff = await makeUser("receptionist");
      const c = await signIn(handler, client.email!, client.password);
      const s = await signIn(handler, staff.email!, staff.password);
      const pages: [string, string | undefined, number][] = [
        ["/", undefined, 200],
        ["/help", undefined, 200],
        ["/about", undefined, 200],
        ["/signin", undefined, 200],
        ["/no-such-page", undefined, 404],
        ["/client", c.cookie, 200],
        ["/help", c.cookie, 200],
        ["/frontdesk", s.cookie, 200],
        ["/frontdesk/no-such-page", s.cookie, 404],
        ["/admin", c.cookie, 403],
      ];
      for (const [path, cookie, status] of pages) {
        for (const lang of ["id", "en"] as const) {
          const r = await html(path, { cookie, lang });
          assert.equal(r.status, status, `${path} status`);
          assertFooter(r.body, lang, `${path} (${cookie ? "signed in" : "anonymous"}, ${lang})`);
        }
      }
      // signed in: the help page does not offer to sign in again
      const signedIn = await html("/help", { cookie: c.cookie });
      assert.doesNotMatch(signedIn.body, /<a class="btn" href="\/signin">/);
      // signed-in users are sent from / to their home
      const home = await get(handler, "/", { cookie: c.cookie });
      await home.body?.cancel();
      assert.equal(home.status, 303);
      assert.equal(home.headers.get("location"), "/home");
    });

    await t.step("the latest 3 published articles on / and on a client's home, UI language first", async () => {
      const admin = await makeUser("admin");
      const day = 86_400_000;
      const now = Date.now();
      const make = (
        title: string,
        lang: "id" | "en",
        daysAgo: number,
        status: "draft" | "published" = "published",
        cover: Record<string, string> = {},
      ) =>
        createArticle({
          title,
          lang,
          body: `Isi artikel **${title}**.`,
          tags: ["stres"],
          status,
          publishAt: new Date(now - daysAgo * day).toISOString(),
          ...cover,
        }, admin);
      const coverId = (await saveFile(coverPng(), "article_cover", admin)).id;
      await make("Tidur nyenyak", "id", 1, "published", { coverFileId: coverId, coverAlt: "Bantal putih di kasur" });
      await make("Napas dalam", "id", 2);
      await make("Merawat diri", "id", 3);
      await make("Mengenali cemas", "id", 4); // the 4th Indonesian one: not on the home page
      await make("Draf rahasia", "id", 0, "draft");
      await make("Terjadwal besok", "id", -1); // scheduled
      await make("Sleep well", "en", 5);

      const titles = (body: string) =>
        [...body.matchAll(/<h3 class="article-card-title"><a href="\/articles\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
      const home = await html("/", { lang: "id" });
      assert.deepEqual(titles(home.body), ["Tidur nyenyak", "Napas dalam", "Merawat diri"]);
      assert.match(home.body, /href="\/articles"/, "see all articles");
      assert.match(home.body, /1 menit baca/, "reading time");
      assert.ok(
        home.body.includes(`<img class="article-card-cover" src="/files/${coverId}" alt="Bantal putih di kasur"`),
        "the cover with its alt text",
      );
      assert.equal(home.body.split("<img").length - 1, 1, "no image for articles without a cover");
      const img = await get(handler, `/files/${coverId}`);
      assert.equal(img.status, 200, "the cover is served to anonymous readers");
      assert.equal(img.headers.get("content-type"), "image/png");
      await img.body?.cancel();
      assert.doesNotMatch(home.body, /<script/i, "still no JavaScript with articles");
      const en = await html("/", { lang: "en" });
      assert.deepEqual(titles(en.body), ["Sleep well", "Tidur nyenyak", "Napas dalam"], "English first, then the rest");
      assert.match(en.body, /<div class="article-card-body" lang="id">/, "Indonesian text marked as such");

      const client = await makeUser("client");
      const c = await signIn(handler, client.email!, client.password);
      const mine = await html("/client", { cookie: c.cookie, lang: "id" });
      assert.equal(mine.status, 200);
      assert.deepEqual(titles(mine.body), ["Tidur nyenyak", "Napas dalam", "Merawat diri"]);
      assert.ok(mine.body.includes(translate("id", "client.articles.title")));
    });
  },
});
