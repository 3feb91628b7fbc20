/** Every UI string exists in Indonesian and English, with the same placeholders. */
import assert from "node:assert/strict";
import { dictionaries } from "@/lib/i18n/mod.ts";

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
