/** Every UI string exists in Indonesian and English, with the same placeholders. */
import assert from "node:assert/strict";
import { dictionaries, translator } from "@/lib/i18n/mod.ts";
import { formatDate, formatDateTime, formatNumber, formatRating, formatTime } from "@/lib/i18n/format.ts";
import { validationErrorOf, z } from "@/lib/validation.ts";
import { errorBody } from "@/lib/http/errors.ts";
import { errorText } from "@/components/ui.tsx";

Deno.test("i18n: every key in both languages, non-empty, same {placeholders}", () => {
  const id = Object.keys(dictionaries.id).sort();
  const en = Object.keys(dictionaries.en).sort();
  assert.deepEqual(id.filter((k) => !(k in dictionaries.en)), [], "keys missing in English");
  assert.deepEqual(en.filter((k) => !(k in dictionaries.id)), [], "keys missing in Indonesian");
  const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const k of id) {
    assert.ok(dictionaries.id[k].trim() && dictionaries.en[k].trim(), `empty text: ${k}`);
    assert.deepEqual(holes(dictionaries.id[k]), holes(dictionaries.en[k]), `placeholders differ: ${k}`);
  }
});

Deno.test("i18n: dictionaries import only types.ts (no mod ↔ dictionary cycle)", async () => {
  const dir = new URL("../lib/i18n/", import.meta.url);
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".ts") || e.name === "mod.ts") continue;
    const src = await Deno.readTextFile(new URL(e.name, dir));
    assert.doesNotMatch(src, /from\s+["']\.\/mod\.ts["']/, `${e.name} imports mod.ts`);
  }
});

Deno.test("i18n: one name per role in each language", () => {
  // docs/ui.md, "Words": the receptionist is "Resepsionis" / "Receptionist" everywhere.
  const banned: Record<"id" | "en", RegExp> = {
    id: /penerima tamu|petugas meja depan|front ?desk officer/i,
    en: /\bfront desk (staff|officer|clerk)\b|\bto the front desk\b/i,
  };
  for (const lang of ["id", "en"] as const) {
    const bad = Object.entries(dictionaries[lang]).filter(([, v]) => banned[lang].test(v)).map(([k]) => k);
    assert.deepEqual(bad, [], `${lang}: other names for the receptionist`);
  }
  assert.equal(dictionaries.id["role.receptionist"], "Resepsionis");
  assert.equal(dictionaries.en["role.receptionist"], "Receptionist");
});

Deno.test("format: one time format per language, one-decimal ratings, locale numbers", () => {
  const at = "2026-11-21T02:05:00Z"; // 09:05 in Asia/Jakarta
  assert.equal(formatTime(at, "id", "Asia/Jakarta"), "09.05");
  assert.equal(formatTime(at, "en", "Asia/Jakarta"), "09:05");
  assert.equal(formatTime("2026-11-21T14:30:00Z", "en", "Asia/Jakarta"), "21:30", "24-hour, no AM/PM");
  assert.equal(formatTime("", "id", "Asia/Jakarta"), "");
  assert.equal(formatTime("not a date", "id", "Asia/Jakarta"), "");
  assert.equal(formatDateTime(at, "id", "Asia/Jakarta"), "21 Nov 2026 09.05");
  assert.equal(formatDateTime(at, "en", "Asia/Jakarta"), "21 Nov 2026 09:05");
  assert.equal(
    formatDate("2026-11-21", "id", "Pacific/Kiritimati"),
    "Sab, 21 Nov 2026",
    "a calendar date keeps its day",
  );
  assert.equal(formatRating(4.5, "id"), "4,5");
  assert.equal(formatRating(4.5, "en"), "4.5");
  assert.equal(formatRating(4, "id"), "4,0");
  assert.equal(formatRating(4.26, "en"), "4.3");
  assert.equal(formatNumber(1234.56, "id"), "1.234,6");
  assert.equal(formatNumber(1234.56, "en"), "1,234.6");
});

Deno.test("field errors: {min}/{max} come from the schema, in pages and in JSON", () => {
  const schema = z.object({ name: z.string().max(5, "field.too_long"), code: z.string().min(3) });
  const r = schema.safeParse({ name: "abcdefg", code: "x" });
  assert.ok(!r.success);
  const e = validationErrorOf(r.error);
  assert.deepEqual(e.fields, { name: "field.too_long", code: "field.too_short" });
  assert.deepEqual(e.messages(), {
    name: { key: "field.too_long", params: { max: 5 } },
    code: { key: "field.too_short", params: { min: 3 } },
  });
  const t = translator("id");
  assert.equal(errorText(t, e.messages().name), "Terlalu panjang (maksimal 5 karakter).");
  const body = errorBody(e, "en");
  assert.equal(body.error.fields?.code, "Too short (at least 3 characters).");
});
