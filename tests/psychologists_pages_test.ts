/**
 * The psychologist's own editor and the admins' psychologist pages through real
 * HTTP: field errors, photo upload by magic bytes, a profile made by its owner and
 * verified by an admin, deactivation with its confirmation step, and an admin
 * creating a verified psychologist.
 */
import assert from "node:assert/strict";
import { appHandler, freshKv, get, type Handler, makeUser, ORIGIN, postForm, signIn } from "./helpers.ts";
import { makePsychologist, profileInput } from "./psychologist_fixtures.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { verifyProfile } from "@/lib/psychologists/applications.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { lastMailTo } from "@/lib/mail/mod.ts";
import * as K from "@/lib/psychologists/keys.ts";
import { drawAvatar } from "@/lib/seed/avatar.ts";

async function upload(handler: Handler, cookie: string, name: string, bytes: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.append("action", "photo");
  form.append("photo", new File([bytes as Uint8Array<ArrayBuffer>], name, { type: "image/png" }));
  return await handler(
    new Request(`${ORIGIN}/psychologist/profile`, { method: "POST", headers: { origin: ORIGIN, cookie }, body: form }),
  );
}

Deno.test("editor: field errors beside their rows, nothing saved; a photo is checked by its bytes and served publicly", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const psy = await makePsychologist();
  const { cookie } = await signIn(handler, psy.email!, psy.password);
  const page = await get(handler, "/psychologist/profile", { cookie });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /name="service_price_0" [^>]*value="150000"/);
  assert.match(html, /data-reverify>Mengubah nama atau nomor SIPP\/STR/);

  const before = await getPsychologist(psy.id);
  const bad = await postForm(handler, "/psychologist/profile", {
    action: "profile",
    name: psy.profile.name,
    licenceNumber: "SIPP 1",
    specialisations: "anxiety",
    yearsOfExperience: "5",
    languages: "id",
    service_type_0: "chat",
    service_duration_0: "30",
    service_price_0: "150000",
    service_type_2: "video",
    service_duration_2: "33",
    service_price_2: "300000",
  }, { cookie });
  const badHtml = await bad.text();
  assert.equal(bad.status, 400);
  assert.match(badHtml, /data-row="2"[^>]*>[\s\S]*?Durasi 15–240 menit/);
  assert.deepEqual(await getPsychologist(psy.id), before, "nothing saved");

  const good = await postForm(handler, "/psychologist/profile", {
    action: "profile",
    name: "Nama Baru",
    licenceNumber: "SIPP 0117-18-2-1",
    specialisations: "trauma",
    yearsOfExperience: "9",
    languages: "id, en",
    service_id_0: psy.profile.services[1].id,
    service_type_0: "video",
    service_duration_0: "60",
    service_price_0: "350.000",
  }, { cookie });
  await good.body?.cancel();
  assert.equal(good.status, 303);
  const after = (await getPsychologist(psy.id))!;
  assert.equal(after.name, "Nama Baru");
  assert.equal(after.verification, "pending", "a new name needs verification again");
  assert.equal(await kv.get(K.cardKey(psy.id)).then((e) => e.value), null);
  await verifyProfile(await makeUser("admin"), psy.id);
  assert.deepEqual(after.services, [{
    id: psy.profile.services[1].id,
    type: "video",
    durationMinutes: 60,
    priceIdr: 350_000,
  }]);

  const fake = await upload(handler, cookie, "me.png", new TextEncoder().encode("<svg onload=alert(1)>"));
  assert.equal(fake.status, 400);
  assert.match(await fake.text(), /Jenis berkas tidak diizinkan/);
  const real = await upload(handler, cookie, "me.bin", drawAvatar("NB", [40, 90, 120], 200));
  await real.body?.cancel();
  assert.equal(real.status, 303);
  const photo = (await getPsychologist(psy.id))!.photoFileId!;
  const served = await get(handler, `/files/${photo}`);
  await served.body?.cancel();
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.match((await kv.get<{ photoFileId: string }>(K.cardKey(psy.id))).value!.photoFileId, /^[0-9A-Z]{26}$/);

  const client = await makeUser("client");
  const other = await signIn(handler, client.email!, client.password);
  const denied = await get(handler, "/psychologist/profile", { cookie: other.cookie });
  await denied.body?.cancel();
  assert.equal(denied.status, 403);
  kv.close();
});

Deno.test("a psychologist account without profile fills one in; it waits until an admin verifies it from the list", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const psy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  const own = await signIn(handler, psy.email!, psy.password);
  const empty = await (await get(handler, "/psychologist/profile", { cookie: own.cookie })).text();
  assert.match(empty, /belum punya profil/);
  const created = await postForm(handler, "/psychologist/profile", {
    action: "profile",
    name: "Profil Baru",
    licenceNumber: "STR 12.34.56",
    specialisations: "family",
    yearsOfExperience: "2",
    languages: "id",
    service_type_0: "chat",
    service_duration_0: "45",
    service_price_0: "120000",
  }, { cookie: own.cookie });
  await created.body?.cancel();
  assert.equal(created.status, 303);
  assert.equal((await getPsychologist(psy.id))!.verification, "pending");
  assert.equal((await kv.get(K.cardKey(psy.id))).value, null);

  const a = await signIn(handler, admin.email!, admin.password);
  const list = await (await get(handler, "/admin/psychologists", { cookie: a.cookie })).text();
  assert.match(list, new RegExp(`data-psychologist-id="${psy.id}"[\\s\\S]*?value="verify"`));
  const verified = await postForm(handler, "/admin/psychologists", { action: "verify", id: psy.id }, {
    cookie: a.cookie,
  });
  await verified.body?.cancel();
  assert.equal(verified.status, 303);
  assert.equal((await getPsychologist(psy.id))!.verification, "verified");
  assert.ok((await kv.get(K.cardKey(psy.id))).value, "listed");
  kv.close();
});

Deno.test("admin: deactivate asks first and hides from the directory; reactivate lists again; create a verified psychologist", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const admin = await makeUser("admin");
  const psy = await makePsychologist({ name: "Akan Nonaktif" });
  const { cookie } = await signIn(handler, admin.email!, admin.password);

  const ask = await get(handler, `/admin/psychologists?confirm=deactivate&id=${psy.id}`, { cookie });
  const askHtml = await ask.text();
  assert.match(askHtml, /data-testid="confirm-step"/);
  assert.match(askHtml, /Akan Nonaktif/);
  assert.ok((await kv.get(K.cardKey(psy.id))).value, "asking changes nothing");
  const off = await postForm(handler, "/admin/psychologists", { action: "deactivate", id: psy.id, confirm: "1" }, {
    cookie,
  });
  await off.body?.cancel();
  assert.equal(off.status, 303);
  assert.equal((await kv.get(K.cardKey(psy.id))).value, null);
  const dir = await (await get(handler, "/api/psychologists")).json();
  assert.equal(dir.items.length, 0);
  const on = await postForm(handler, "/admin/psychologists", { action: "reactivate", id: psy.id }, { cookie });
  await on.body?.cancel();
  assert.ok((await kv.get(K.cardKey(psy.id))).value);

  const input = profileInput("Baru Langsung");
  const fields: Record<string, string> = {
    name: "Baru Langsung",
    email: "baru@psikolog.test",
    lang: "en",
    title: String(input.title),
    licenceNumber: String(input.licenceNumber),
    specialisations: "career",
    yearsOfExperience: "7",
    languages: "id, en",
    service_type_0: "video",
    service_duration_0: "50",
    service_price_0: "275000",
  };
  const made = await postForm(handler, "/admin/psychologists/new", fields, { cookie });
  await made.body?.cancel();
  assert.equal(made.status, 303);
  const user = (await getUserByEmail("baru@psikolog.test"))!;
  assert.equal(user.role, "psychologist");
  assert.equal(user.mustChangePassword, true);
  const p = (await getPsychologist(user.id))!;
  assert.equal(p.verification, "verified");
  assert.equal(p.services[0].priceIdr, 275_000);
  assert.ok((await kv.get(K.cardKey(user.id))).value, "listed at once");
  assert.match((await lastMailTo("baru@psikolog.test"))!.subject, /account has been created/);
  const dup = await postForm(handler, "/admin/psychologists/new", fields, { cookie });
  assert.equal(dup.status, 400);
  assert.match(await dup.text(), /id="err-email"/);
  kv.close();
});
