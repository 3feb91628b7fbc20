/**
 * The psychologist's application through real HTTP (multipart), the admins'
 * decision with its e-mail, and who may read certificate files.
 */
import assert from "node:assert/strict";
import {
  appHandler,
  countKeys,
  freshKv,
  get,
  type Handler,
  lastCode,
  makeUser,
  ORIGIN,
  postForm,
  signIn,
} from "./helpers.ts";
import { getUserByEmail } from "@/lib/auth/users.ts";
import { lastMailTo } from "@/lib/mail/mod.ts";
import { accountMailIdle } from "@/lib/auth/mailer.ts";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { applicationOfUser } from "@/lib/psychologists/applications.ts";
import { getFile } from "@/lib/files/store.ts";
import { MAX_APPLICATION_BYTES } from "@/lib/psychologists/application.ts";
import * as K from "@/lib/psychologists/keys.ts";
import { listAudit } from "@/lib/audit.ts";
import { drawAvatar } from "@/lib/seed/avatar.ts";
import { certificatePdf } from "@/lib/seed/psychologists.ts";

const PREFIXES = [
  "users",
  "users_by_email",
  "credentials",
  "psychologists",
  "psychologist_cards",
  "psychologist_applications",
  "psychologist_applications_by_status",
  "files",
  "file_chunks",
];

type Part = string | { name: string; bytes: Uint8Array; type?: string };

/** A complete, valid application; `over` replaces or (with null) removes fields. */
function application(email: string, over: Record<string, Part | Part[] | null> = {}): Record<string, Part | Part[]> {
  const base: Record<string, Part | Part[]> = {
    name: "Ratih Kusumawardani",
    email,
    password: "lembayung-senja-di-ujung-bukit",
    title: "M.Psi., Psikolog",
    licenceNumber: "SIPP 0777-20-2-1",
    specialisations: ["anxiety", "family"],
    education: "S1 Psikologi, Universitas Indonesia\nMagister Psikologi Profesi Klinis, Universitas Indonesia",
    practicePlace: "Jakarta",
    yearsOfExperience: "6",
    languages: "id, en",
    bio: "Psikolog klinis dewasa.",
    certificates: [
      { name: "sipp.pdf", bytes: certificatePdf("SIPP 0777-20-2-1"), type: "application/pdf" },
      { name: "ijazah.png", bytes: drawAvatar("RK", [10, 120, 90], 64), type: "image/png" },
    ],
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete base[k];
    else base[k] = v;
  }
  return base;
}

async function apply(handler: Handler, fields: Record<string, Part | Part[]>, lang = "id"): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const p of Array.isArray(v) ? v : [v]) {
      if (typeof p === "string") form.append(k, p);
      else {form.append(
          k,
          new File([p.bytes as Uint8Array<ArrayBuffer>], p.name, { type: p.type ?? "application/octet-stream" }),
        );}
    }
  }
  return await handler(
    new Request(`${ORIGIN}/psychologists/apply`, {
      method: "POST",
      headers: { origin: ORIGIN, cookie: `lang=${lang}` },
      body: form,
    }),
  );
}

Deno.test("application: a complete form creates a pending account, profile and application in one go; the e-mail code activates the account", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const email = "ratih@psikolog.test";
  const res = await apply(handler, application(email), "en");
  await res.body?.cancel();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/verify?email=${encodeURIComponent(email)}`);

  const user = (await getUserByEmail(email))!;
  assert.equal(user.role, "psychologist");
  assert.equal(user.status, "pending");
  assert.equal(user.lang, "en");
  const profile = (await getPsychologist(user.id))!;
  assert.equal(profile.verification, "pending");
  assert.equal(profile.licenceNumber, "SIPP 0777-20-2-1");
  assert.deepEqual(profile.specialisations, ["anxiety", "family"]);
  assert.equal(profile.education.length, 2);
  assert.equal((await kv.get(K.cardKey(user.id))).value, null, "not listed");
  const app = (await applicationOfUser(user.id))!;
  assert.equal(app.status, "pending");
  assert.equal(app.certificateFileIds.length, 2);
  const files = await Promise.all(app.certificateFileIds.map(getFile));
  assert.deepEqual(files.map((f) => [f?.kind, f?.access, f?.type, f?.ownerId]), [
    ["certificate", "private", "application/pdf", user.id],
    ["certificate", "private", "image/png", user.id],
  ]);

  const code = await lastCode(email);
  assert.ok(code, "the registration code was mailed");
  const v = await postForm(handler, "/verify", { email, code: code! });
  await v.body?.cancel();
  assert.equal(v.status, 303);
  assert.equal((await getUserByEmail(email))!.status, "active");
  const { cookie } = await signIn(handler, email, "lembayung-senja-di-ujung-bukit");
  const page = await get(handler, "/psychologist/profile", { cookie });
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /data-verification="pending"/);
  kv.close();
});

Deno.test("application: every bad form is refused with its field error and writes nothing; the sixth try in an hour is 429", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const before = await countKeys(kv, PREFIXES);
  const cases: [string, Record<string, Part | Part[] | null>, string, RegExp][] = [
    [
      "a text file named .pdf",
      {
        certificates: [{
          name: "sipp.pdf",
          bytes: new TextEncoder().encode("not a pdf at all"),
          type: "application/pdf",
        }],
      },
      "certificates",
      /PDF, JPG, atau PNG/,
    ],
    [
      "a certificate over 5 MB",
      { certificates: [{ name: "big.pdf", bytes: bigPdf(5 * 1024 * 1024 + 1), type: "application/pdf" }] },
      "certificates",
      /paling besar 5 MB/,
    ],
    [
      "four certificates",
      {
        certificates: [1, 2, 3, 4].map((n) => ({
          name: `c${n}.pdf`,
          bytes: certificatePdf(`n${n}`),
          type: "application/pdf",
        })),
      },
      "certificates",
      /Paling banyak 3/,
    ],
    ["no certificate", { certificates: null }, "certificates", /paling sedikit satu sertifikat/],
    ["missing licence and categories", { licenceNumber: "", specialisations: null }, "licenceNumber", /SIPP\/STR/],
  ];
  for (const [what, over, field, message] of cases) {
    const res = await apply(handler, application(`x-${field}@psikolog.test`, over));
    const html = await res.text();
    assert.equal(res.status, 400, what);
    assert.match(html, new RegExp(`id="err-${field}"`), `${what}: error next to ${field}`);
    assert.match(html, message, what);
    assert.deepEqual(await countKeys(kv, PREFIXES), before, `${what}: nothing written`);
  }
  // The sixth is refused before its body is read: a body that would be invalid (and,
  // read, 413: it claims more than the limit) is never pulled.
  let pulled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled = true;
      c.enqueue(new Uint8Array(1024));
      c.close();
    },
  }, { highWaterMark: 0 });
  const limited = await handler(
    new Request(`${ORIGIN}/psychologists/apply`, {
      method: "POST",
      headers: {
        origin: ORIGIN,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(MAX_APPLICATION_BYTES + 1),
      },
      body,
    }),
  );
  const limitedHtml = await limited.text();
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  assert.match(limitedHtml, /class="alert/);
  assert.equal(pulled, false, "the body was not read");
  kv.close();
});

/** A "PDF" of exactly `size` bytes (magic bytes and padding). */
function bigPdf(size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(certificatePdf("big"));
  return b;
}

Deno.test("application: a taken e-mail gets the same answer, creates nothing and tells the owner", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const owner = await makeUser("client");
  const before = await countKeys(kv, PREFIXES);
  const res = await apply(handler, application(owner.email!));
  await res.body?.cancel();
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/verify?email=${encodeURIComponent(owner.email!)}`);
  assert.deepEqual(await countKeys(kv, PREFIXES), before, "no account, profile, application or file");
  // …but the same storage work as a new account (no timing difference): its one
  // two certificates were stored and deleted again.
  const uploads = (await listAudit({ actorId: "anonymous", limit: 100 })).items.filter((e) =>
    e.action === "file.upload"
  );
  assert.equal(uploads.length, 2, "the certificates were stored");
  for (const u of uploads) assert.equal(await getFile(u.target.slice("file:".length)), null, "and deleted again");
  await accountMailIdle();
  const mail = await lastMailTo(owner.email!);
  assert.match(mail!.subject, /mendaftar dengan e-mail Anda/);
  kv.close();
});

Deno.test("application: an admin approves (listed, applicant e-mailed in English) or rejects with a reason (e-mailed in Indonesian)", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  const admin = await makeUser("admin");
  const { cookie } = await signIn(handler, admin.email!, admin.password);
  for (const [email, lang] of [["en@psikolog.test", "en"], ["id@psikolog.test", "id"]]) {
    (await apply(handler, application(email), lang)).body?.cancel();
  }
  const en = (await applicationOfUser((await getUserByEmail("en@psikolog.test"))!.id))!;
  const id = (await applicationOfUser((await getUserByEmail("id@psikolog.test"))!.id))!;

  const queue = await (await get(handler, "/admin/psychologists/applications", { cookie })).text();
  assert.match(queue, new RegExp(`data-application-id="${en.id}"`));
  const detail = await get(handler, `/admin/psychologists/applications/${en.id}`, { cookie });
  const detailHtml = await detail.text();
  assert.equal(detail.status, 200);
  for (const f of en.certificateFileIds) assert.match(detailHtml, new RegExp(`href="/files/${f}"`));

  const ok = await postForm(handler, `/admin/psychologists/applications/${en.id}`, { decision: "approve" }, { cookie });
  await ok.body?.cancel();
  assert.equal(ok.status, 303);
  const approved = (await getPsychologist(en.userId))!;
  assert.equal(approved.verification, "verified");
  assert.ok((await kv.get(K.cardKey(en.userId))).value, "listed");
  assert.match((await lastMailTo("en@psikolog.test"))!.subject, /is approved/);
  const again = await postForm(handler, `/admin/psychologists/applications/${en.id}`, { decision: "approve" }, {
    cookie,
  });
  await again.body?.cancel();
  assert.equal(again.status, 409, "decided once");

  const noReason = await postForm(handler, `/admin/psychologists/applications/${id.id}`, {
    decision: "reject",
    reason: "  ",
  }, { cookie });
  assert.equal(noReason.status, 400);
  assert.match(await noReason.text(), /Tuliskan alasan penolakan/);
  assert.equal((await getPsychologist(id.userId))!.verification, "pending", "nothing changed");
  const no = await postForm(handler, `/admin/psychologists/applications/${id.id}`, {
    decision: "reject",
    reason: "Nomor SIPP tidak terbaca pada berkas.",
  }, { cookie });
  await no.body?.cancel();
  assert.equal(no.status, 303);
  assert.equal((await getPsychologist(id.userId))!.verification, "rejected");
  assert.equal((await kv.get(K.cardKey(id.userId))).value, null);
  const mail = (await lastMailTo("id@psikolog.test"))!;
  assert.match(mail.subject, /Pengajuan psikolog Anda/);
  assert.match(mail.text, /Nomor SIPP tidak terbaca pada berkas\./);
  const actions = (await listAudit({ actorId: admin.id, limit: 50 })).items.map((e) => e.action);
  assert.ok(actions.includes("application.approve") && actions.includes("application.reject"));
  kv.close();
});

Deno.test("certificates: only admins read them (attachment, nosniff, CSP sandbox, audited); everyone else gets 404", async () => {
  const kv = await freshKv();
  const handler = await appHandler();
  (await apply(handler, application("cert@psikolog.test"))).body?.cancel();
  const applicant = (await getUserByEmail("cert@psikolog.test"))!;
  const app = (await applicationOfUser(applicant.id))!;
  const png = app.certificateFileIds[1];
  // The applicant verifies the e-mail and signs in: still not allowed to read the files back.
  (await postForm(handler, "/verify", { email: applicant.email!, code: (await lastCode(applicant.email!))! })).body
    ?.cancel();
  const own = await signIn(handler, applicant.email!, "lembayung-senja-di-ujung-bukit");
  const client = await makeUser("client");
  const psy = await makeUser("psychologist");
  const admin = await makeUser("admin");
  const as = async (who: { email: string | null; password: string } | null) =>
    who ? (await signIn(handler, who.email!, who.password)).cookie : undefined;
  for (const cookie of [undefined, own.cookie, await as(client), await as(psy)]) {
    const res = await get(handler, `/files/${png}`, { cookie });
    await res.body?.cancel();
    assert.equal(res.status, 404);
  }
  const res = await get(handler, `/files/${png}`, { cookie: await as(admin) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.match(res.headers.get("content-disposition")!, /^attachment;/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("content-security-policy"), "sandbox");
  assert.match(res.headers.get("cache-control")!, /no-store/);
  await res.body?.cancel();
  const read = (await listAudit({ actorId: admin.id })).items.find((e) => e.action === "file.read");
  assert.equal(read?.target, `file:${png}`);
  kv.close();
});
