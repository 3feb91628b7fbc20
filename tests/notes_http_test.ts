/**
 * Session notes over HTTP (`app.handler()`, in-memory KV): the API and the
 * psychologist's page for the author; 401/403/404 for everyone else in JSON
 * and HTML, with nothing written; the page works without JavaScript (save,
 * lock & sign with a confirmation step, amendment with a reason, history);
 * hostile bodies never give a 5xx nor a half-written note (fast-check).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "./fuzz.ts";
import { appHandler, freshKv, get, type Handler, makeUser, postForm, sendJson, signIn } from "./helpers.ts";
import { confirmedSession } from "./session_fixtures.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import type { User } from "@/lib/auth/users.ts";
import { getKv } from "@/lib/db/kv.ts";
import { listAudit } from "@/lib/audit.ts";
import type { NotesRecord, NoteVersion } from "@/lib/notes/model.ts";
import { notesAnswerSchema, notesMetaAnswerSchema } from "@/lib/notes/http.ts";

const DAY = 86_400_000;
const NOTE = { subjective: "Sulit tidur", objective: "Tenang", assessment: "Cemas ringan", plan: "Jurnal tidur" };

async function tokenOf(u: User): Promise<string> {
  return (await createSession(u.id, "bearer")).token;
}

/** A confirmed session that started about a day ago (booked and confirmed three days ago). */
async function pastSession() {
  return await confirmedSession({ nowMs: Date.now() - 3 * DAY, days: 2, hhmm: "10:00" });
}

async function json(res: Response) {
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** Every notes record agrees with its versions: nothing half-written. */
async function consistent(): Promise<void> {
  const kv = await getKv();
  for await (const e of kv.list<NotesRecord>({ prefix: ["notes"] })) {
    const r = e.value;
    const versions: number[] = [];
    for await (const v of kv.list<NoteVersion>({ prefix: ["notes_versions", r.bookingId] })) versions.push(v.value.n);
    assert.deepEqual(versions, Array.from({ length: r.versions }, (_, i) => i + 1), "versions 1..n, no gap, no extra");
    assert.ok(r.status === "draft" ? r.versions === 1 && !r.signedAt : !!r.signedAt);
  }
  for await (const v of kv.list({ prefix: ["notes_versions"] })) {
    assert.ok((await kv.get(["notes", v.key[1]])).value, "no version without its record");
  }
}

Deno.test("notes API: the author saves, signs, amends and reads; answers match the documented shapes", async () => {
  await freshKv();
  const h = await appHandler();
  const { psy, booking } = await pastSession();
  const tk = await tokenOf(psy);
  const path = `/api/bookings/${booking.id}/notes`;
  const empty = await json(await get(h, path, { token: tk }));
  assert.equal(empty.status, 200);
  assert.equal(empty.body.notes.status, "empty");
  assert.equal(empty.body.notes.writable, true);
  const saved = await json(await sendJson(h, path, { ...NOTE, private: "rahasia" }, { method: "PUT", token: tk }));
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.deepEqual(saved.body.notes, {
    bookingId: booking.id,
    status: "draft",
    versions: 1,
    signedAt: null,
    updatedAt: saved.body.notes.updatedAt,
    changed: true,
  });
  assert.ok(!JSON.stringify(saved.body).includes("rahasia"), "a save answers no text");
  const signed = await json(await sendJson(h, `${path}/sign`, {}, { token: tk }));
  assert.equal(signed.status, 200);
  assert.equal(signed.body.notes.status, "signed");
  const noReason = await json(await sendJson(h, path, { ...NOTE, plan: "baru" }, { method: "PUT", token: tk }));
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.code, "validation_failed");
  assert.ok(noReason.body.error.fields.reason);
  const amended = await json(
    await sendJson(h, path, { ...NOTE, plan: "baru", reason: "Koreksi" }, { method: "PUT", token: tk }),
  );
  assert.equal(amended.status, 200);
  assert.equal(amended.body.notes.versions, 2);
  const read = await json(await get(h, path, { token: tk }));
  assert.equal(read.body.notes.current.plan, "baru");
  assert.equal(read.body.notes.current.private, "rahasia", "private kept when left out");
  assert.deepEqual(read.body.notes.versions.map((v: { kind: string }) => v.kind), ["amendment", "original"]);
  // The answers are exactly the documented shapes (parse drops unknown keys, so extra ones fail too).
  assert.deepEqual(notesAnswerSchema.parse(read.body), read.body);
  assert.deepEqual(notesAnswerSchema.parse(empty.body), empty.body);
  for (const m of [saved, signed, amended]) assert.deepEqual(notesMetaAnswerSchema.parse(m.body), m.body);
  // The document describes these operations.
  const doc = await (await get(h, "/api/openapi.json")).json();
  assert.ok(doc.paths["/api/bookings/{id}/notes"].get);
  assert.ok(doc.paths["/api/bookings/{id}/notes"].put);
  assert.ok(doc.paths["/api/bookings/{id}/notes/sign"].post);
  await consistent();
});

Deno.test("notes API: before the start 409; client and admin 403; other psychologist 404; anonymous 401; nothing written", async () => {
  await freshKv();
  const h = await appHandler();
  const { psy, client, booking } = await pastSession();
  const future = await confirmedSession({ psy, days: 3 });
  const tk = await tokenOf(psy);
  const early = await json(
    await sendJson(h, `/api/bookings/${future.booking.id}/notes`, NOTE, { method: "PUT", token: tk }),
  );
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, "notes_not_yet");
  assert.equal(
    (await json(await sendJson(h, `/api/bookings/${future.booking.id}/notes/sign`, {}, { token: tk })))
      .body.error.code,
    "notes_not_yet",
  );
  const path = `/api/bookings/${booking.id}/notes`;
  await sendJson(h, path, NOTE, { method: "PUT", token: tk }).then((r) => r.body?.cancel());
  const admin = await makeUser("admin");
  const other = await makeUser("psychologist");
  for (
    const [who, u, status, code] of [
      ["client", client, 403, "notes_private"],
      ["admin", admin, 403, "notes_private"],
      ["other psychologist", other, 404, "booking_not_found"],
    ] as const
  ) {
    const t = await tokenOf(u);
    for (
      const res of [
        await get(h, path, { token: t }),
        await sendJson(h, path, { ...NOTE, plan: "x" }, { method: "PUT", token: t }),
        await sendJson(h, `${path}/sign`, {}, { token: t }),
      ]
    ) {
      const r = await json(res);
      assert.equal(r.status, status, `${who}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error.code, code);
      assert.ok(!JSON.stringify(r.body).includes("Sulit tidur"), `${who} sees no text`);
    }
  }
  assert.equal((await json(await get(h, path))).status, 401);
  assert.equal((await json(await sendJson(h, path, NOTE, { method: "PUT" }))).status, 401);
  const read = await json(await get(h, path, { token: tk }));
  assert.equal(read.body.notes.status, "draft", "nobody else signed");
  assert.equal(read.body.notes.current.plan, NOTE.plan, "nobody else changed it");
  const audits = (await listAudit({ target: `booking:${booking.id}` })).items.map((e) => e.action);
  assert.equal(audits.filter((a) => a === "notes.read").length, 1, "the author's read");
  assert.equal(audits.filter((a) => a === "notes.read_denied").length, 3, "client, admin, other psychologist");
  await consistent();
});

Deno.test("notes page: save, lock & sign after a confirmation step, amend with a reason, history — no JavaScript", async () => {
  await freshKv();
  const h: Handler = await appHandler();
  const { psy, client, booking } = await pastSession();
  const { cookie } = await signIn(h, psy.email!, psy.password);
  const path = `/psychologist/bookings/${booking.id}/notes`;
  const detail = await (await get(h, `/psychologist/bookings/${booking.id}`, { cookie })).text();
  assert.ok(detail.includes(`href="${path}"`), "the booking page links the notes");
  const first = await get(h, path, { cookie });
  const html = await first.text();
  assert.equal(first.status, 200);
  for (const f of ["subjective", "objective", "assessment", "plan", "private"]) {
    assert.ok(html.includes(`name="${f}"`), `field ${f}`);
  }
  const form = { ...NOTE, private: "hipotesis", action: "save" };
  const saved = await postForm(h, path, form, { cookie });
  assert.equal(saved.status, 303);
  assert.match(saved.headers.get("location")!, /done=saved/);
  const ask = await postForm(h, path, { ...form, action: "sign_ask" }, { cookie });
  assert.equal(ask.status, 303);
  assert.match(ask.headers.get("location")!, /confirm=sign/);
  const confirmPage = await (await get(h, `${path}?confirm=sign`, { cookie })).text();
  assert.ok(confirmPage.includes('data-testid="confirm-step"'));
  const signed = await postForm(h, path, { action: "sign", confirm: "1" }, { cookie });
  assert.equal(signed.status, 303);
  assert.match(signed.headers.get("location")!, /done=signed/);
  const after = await (await get(h, `${path}?done=signed`, { cookie })).text();
  assert.ok(after.includes('name="reason"'), "an amendment form once signed");
  const noReason = await postForm(h, path, { ...form, plan: "Rujuk", reason: "" }, { cookie });
  assert.equal(noReason.status, 400);
  assert.ok((await noReason.text()).includes("Rujuk"), "the typed text is kept on error");
  const amended = await postForm(h, path, { ...form, plan: "Rujuk", reason: "Hasil supervisi" }, { cookie });
  assert.equal(amended.status, 303);
  assert.match(amended.headers.get("location")!, /done=amended/);
  const hist = await (await get(h, path, { cookie })).text();
  assert.ok(hist.includes("Hasil supervisi") && hist.includes("Versi 2") && hist.includes("Versi 1"));
  // Client and admin: 403 pages, no text.
  for (const u of [client, await makeUser("admin")]) {
    const c = (await signIn(h, u.email!, u.password)).cookie;
    const res = await get(h, path, { cookie: c });
    assert.equal(res.status, 403);
    assert.ok(!(await res.text()).includes("Sulit tidur"));
    const post = await postForm(h, path, { ...form, action: "save" }, { cookie: c });
    assert.equal(post.status, 403);
    await post.body?.cancel();
  }
  const other = await makeUser("psychologist");
  const oc = (await signIn(h, other.email!, other.password)).cookie;
  const res404 = await get(h, path, { cookie: oc });
  assert.equal(res404.status, 404);
  await res404.body?.cancel();
  await consistent();
});

Deno.test("notes page: before the session's start it says so and offers no form", async () => {
  await freshKv();
  const h = await appHandler();
  const { psy, booking } = await confirmedSession({ days: 2 });
  const { cookie } = await signIn(h, psy.email!, psy.password);
  const res = await get(h, `/psychologist/bookings/${booking.id}/notes`, { cookie });
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.ok(html.includes("Catatan sesi bisa ditulis mulai sesi dimulai"));
  assert.ok(!html.includes('name="subjective"'));
  const post = await postForm(h, `/psychologist/bookings/${booking.id}/notes`, { ...NOTE, action: "save" }, { cookie });
  assert.equal(post.status, 409);
  await post.body?.cancel();
});

Deno.test("notes API fuzz: hostile bodies and ids never give a 5xx nor a half-written note", async (t) => {
  await freshKv();
  const h = await appHandler();
  const { psy, client, booking } = await pastSession();
  const tokens = [await tokenOf(psy), await tokenOf(client), await tokenOf(await makeUser("admin")), null];
  const text = fc.oneof(fc.string({ maxLength: 50 }), fc.string({ minLength: 7990, maxLength: 8010 }), fc.constant(""));
  const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object());
  const body = fc.oneof(
    fc.record({
      subjective: value,
      objective: value,
      assessment: value,
      plan: value,
      private: value,
      reason: value,
    }, { requiredKeys: [] }),
    fc.anything(),
    fc.string({ maxLength: 40 }).map((s) => `{"subjective":${s}`), // broken JSON
  );
  const id = fc.oneof(
    fc.constant(booking.id),
    fc.constant("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  );
  await fuzz(
    t,
    fc.asyncProperty(
      fc.constantFrom("GET", "PUT", "SIGN"),
      id,
      body,
      fc.constantFrom(...tokens),
      async (op, bid, b, token) => {
        const path = `/api/bookings/${bid}/notes${op === "SIGN" ? "/sign" : ""}`;
        const opts = token ? { token } : {};
        const res = op === "GET" ? await get(h, path, opts) : typeof b === "string"
          ? await h(
            new Request("http://localhost" + path, {
              method: op === "SIGN" ? "POST" : "PUT",
              headers: {
                "content-type": "application/json",
                origin: "http://localhost",
                ...(token ? { authorization: `Bearer ${token}` } : {}),
              },
              body: b,
            }),
          )
          : await sendJson(h, path, b, { ...opts, method: op === "SIGN" ? "POST" : "PUT" });
        await res.body?.cancel();
        assert.ok(res.status < 500, `${op} ${path} → ${res.status}`);
        if (token !== tokens[0]) assert.ok(res.status >= 400, "only the author succeeds");
      },
    ),
    { numRuns: 150 },
  );
  await consistent();
});

Deno.test("notes page fuzz: hostile forms never give a 5xx nor a half-written note", async (t) => {
  await freshKv();
  const h = await appHandler();
  const { psy, client, booking } = await pastSession();
  const cookies = [
    (await signIn(h, psy.email!, psy.password)).cookie,
    (await signIn(h, client.email!, client.password)).cookie,
  ];
  const field = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ minLength: 7995, maxLength: 8005 }));
  await fuzz(
    t,
    fc.asyncProperty(
      fc.record({
        action: fc.oneof(fc.constantFrom("save", "sign_ask", "sign", ""), fc.string({ maxLength: 10 })),
        confirm: fc.constantFrom("1", "0", ""),
        subjective: field,
        objective: field,
        assessment: field,
        plan: field,
        private: field,
        reason: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 499, maxLength: 502 })),
      }, { requiredKeys: ["action"] }),
      fc.constantFrom(...cookies),
      async (form, cookie) => {
        const res = await postForm(h, `/psychologist/bookings/${booking.id}/notes`, form, { cookie });
        await res.body?.cancel();
        assert.ok(res.status < 500, `${JSON.stringify(form).slice(0, 200)} → ${res.status}`);
        if (cookie === cookies[1]) assert.equal(res.status, 403);
      },
    ),
    { numRuns: 60 },
  );
  await consistent();
});
