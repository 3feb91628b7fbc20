// Usage: deno run -A shot.ts BASE email|- WIDTHxHEIGHT out.png path [path...]
import { chromium } from "playwright-core";
const [base, email, size, outPrefix, ...paths] = Deno.args;
const [w, h] = size.split("x").map(Number);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: "id-ID" });
const page = await ctx.newPage();
if (email !== "-") {
  await page.goto(`${base}/signin`);
  await page.fill('input[name="identifier"]', email);
  await page.fill('input[name="password"]', "ruangpulih-demo");
  await page.click('form button[type="submit"]');
  await page.waitForLoadState("networkidle");
}
let i = 0;
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForLoadState("networkidle");
  const f = `${outPrefix}-${i++}.png`;
  await page.screenshot({ path: f, fullPage: true });
  console.log(f, page.url(), await page.title());
}
await browser.close();
