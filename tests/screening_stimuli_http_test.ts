/**
 * HTTP of the screening stimuli: `GET /api/screening/stimuli` (signed-in clients and admins) and
 * the shipped pictures under `/stimuli/`.
 */
import assert from "node:assert/strict";
import { THEMES } from "@/lib/screening/model.ts";
import { DEFAULT_CAPTIONS } from "@/lib/screening/stimuli.ts";
import { apiLogin, appHandler, freshKv, get, makeUser } from "./helpers.ts";

Deno.test("stimuli API: a client gets the current versions and the 14 active pictures in order", async () => {
  await freshKv();
  const handler = await appHandler();
  const client = await makeUser("client");
  const { token } = await apiLogin(handler, client.email!, client.password);
  const res = await get(handler, "/api/screening/stimuli", { token, headers: { "accept-language": "en" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("cache-control"), "private, no-store");
  const body = await res.json();
  assert.equal(body.version, 1);
  assert.equal(body.mappingVersion, 1);
  assert.deepEqual(body.items.map((i: { theme: string }) => i.theme), [...THEMES]);
  assert.deepEqual(Object.keys(body.items[0]).sort(), ["caption", "id", "imageUrl", "seconds", "theme"]);
  assert.equal(body.items[0].caption, DEFAULT_CAPTIONS.neutral_play.en);
  assert.equal(body.items[0].seconds, 10);
  const id = await (await get(handler, "/api/screening/stimuli", { token, headers: { "accept-language": "id" } }))
    .json();
  assert.equal(id.items[2].caption, DEFAULT_CAPTIONS.departure.id);
  const svg = await get(handler, body.items[0].imageUrl);
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get("content-type") ?? "", /image\/svg\+xml/);
  assert.match(await svg.text(), /<svg /);
});

Deno.test("stimuli API: deny by default — anonymous 401, psychologist and teacher 403", async () => {
  await freshKv();
  const handler = await appHandler();
  const anon = await get(handler, "/api/screening/stimuli");
  assert.equal(anon.status, 401);
  await anon.body?.cancel();
  for (const role of ["psychologist", "teacher", "receptionist"] as const) {
    const u = await makeUser(role);
    const { token } = await apiLogin(handler, u.email!, u.password);
    const res = await get(handler, "/api/screening/stimuli", { token });
    assert.equal(res.status, 403, role);
    assert.equal((await res.json()).error.code, "forbidden");
  }
  const admin = await makeUser("admin");
  const { token } = await apiLogin(handler, admin.email!, admin.password);
  const res = await get(handler, "/api/screening/stimuli", { token });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
