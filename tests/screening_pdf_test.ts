/**
 * The screening PDF summary and its payment: a secure result's PDF is free (200, a real PDF that
 * pdf-lib parses, with the notice and the crisis resources in the client's language); an insecure one
 * answers 402 `payment_required` until paid through the builtin Midtrans sandbox (order type
 * `screening_pdf`), then 200; the payment shows in the client's payment history.
 */
import assert from "node:assert/strict";
import { PDFDocument } from "pdf-lib";
import { appHandler, freshKv, get, makeUser, sendJson } from "./helpers.ts";
import { bodyVoting, current } from "./screening_fixtures.ts";
import { CONSENT_TEXT_VERSION, recordConsent } from "@/lib/screening/consent.ts";
import { createScreening } from "@/lib/screening/store.ts";
import { renderScreeningPdf } from "@/lib/screening/pdf.ts";
import { sandboxPay } from "@/lib/payments/sandbox.ts";
import { getPayment, listPayments, syncPayment } from "@/lib/payments/store.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { translate } from "@/lib/i18n/mod.ts";

Deno.env.set("APP_ENV", "test");
Deno.env.delete("MIDTRANS_SERVER_KEY");
Deno.env.delete("MIDTRANS_ENV");
// The sandbox's notifications go nowhere; the test applies the status itself (syncPayment).
Deno.env.set("BASE_URL", "http://127.0.0.1:9");

/** The text drawn on the pages: every (inflated) content stream's hex strings, in order, joined by spaces. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const raw = new TextDecoder("latin1").decode(bytes);
  const parts: string[] = [];
  for (const m of raw.matchAll(/(?<!end)stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    let end = raw.indexOf("endstream", start);
    while (end > start && (raw[end - 1] === "\n" || raw[end - 1] === "\r")) end--;
    const chunk = bytes.slice(start, end);
    let text: string;
    try {
      const inflated = new Blob([chunk]).stream().pipeThrough(new DecompressionStream("deflate"));
      text = new TextDecoder("latin1").decode(new Uint8Array(await new Response(inflated).arrayBuffer()));
    } catch {
      text = new TextDecoder("latin1").decode(chunk);
    }
    for (const h of text.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
      parts.push(h[1].match(/../g)?.map((x) => String.fromCharCode(parseInt(x, 16))).join("") ?? "");
    }
  }
  return parts.join(" ");
}

Deno.test("screening PDF: free for a secure result, parses, with the notice and crisis resources (id and en)", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await makeUser("client", { lang: "en" });
    await recordConsent(client.id, CONSENT_TEXT_VERSION);
    const token = (await createSession(client.id, "bearer")).token;
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "secure").body);
    assert.equal(s.result, "secure", "the default table lets every picture vote secure for this test");
    assert.equal(s.pdf.required, false);
    const res = await get(h, `/api/screenings/${s.id}/pdf`, { token });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.match(
      res.headers.get("content-disposition") ?? "",
      /attachment; filename="ruangpulih-screening-\d{4}-\d\d-\d\d\.pdf"/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.slice(0, 5)), "%PDF-");
    const doc = await PDFDocument.load(bytes);
    assert.ok(doc.getPageCount() >= 1);
    assert.equal(doc.getTitle(), translate("en", "screening.res.title"));
    const text = await pdfText(bytes);
    assert.ok(text.includes(translate("en", "screening.res.notice")), "the notice, in English");
    assert.ok(text.includes("healing119.id") && text.includes("119 ext 8"), "crisis resources");
    assert.ok(text.includes(translate("en", "screening.style.secure")));
    // Indonesian for an Indonesian account (rendered directly).
    const idText = await pdfText(await renderScreeningPdf(s, "id", { clientName: "Ani" }));
    assert.ok(idText.includes(translate("id", "screening.res.notice")), "the notice, in Indonesian");
    assert.ok(idText.includes("Ani"));
    // Nobody else gets it.
    const other = (await createSession((await makeUser("client")).id, "bearer")).token;
    const r404 = await get(h, `/api/screenings/${s.id}/pdf`, { token: other });
    assert.equal(r404.status, 404);
    await r404.body?.cancel();
    const psy = (await createSession((await makeUser("psychologist")).id, "bearer")).token;
    const r403 = await get(h, `/api/screenings/${s.id}/pdf`, { token: psy });
    assert.equal(r403.status, 403);
    await r403.body?.cancel();
    const pay = await sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token });
    assert.equal(pay.status, 409);
    assert.equal((await pay.json()).error.code, "pdf_free");
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF: an insecure result is 402 until paid through the sandbox, then 200", async () => {
  const kv = await freshKv();
  try {
    const h = await appHandler();
    const client = await makeUser("client");
    await recordConsent(client.id, CONSENT_TEXT_VERSION);
    const token = (await createSession(client.id, "bearer")).token;
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "anxious").body);
    assert.notEqual(s.result, "secure");
    assert.equal(s.pdf.required, true);
    assert.equal(s.pdf.priceIdr, 25_000);

    const locked = await get(h, `/api/screenings/${s.id}/pdf`, { token });
    assert.equal(locked.status, 402);
    assert.equal((await locked.json()).error.code, "payment_required");

    const started = await sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token });
    assert.equal(started.status, 201);
    const { payment } = await started.json();
    assert.equal(payment.grossAmount, 25_000);
    assert.match(payment.redirectUrl, /\/sandbox\/midtrans\//);
    // Asking again while the window is open resumes the same order.
    const again = await sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token });
    assert.equal((await again.json()).payment.orderId, payment.orderId);
    const stored = (await getPayment(payment.orderId))!;
    assert.deepEqual(stored.purpose, { kind: "screening_pdf", id: s.id });
    assert.equal(stored.payeeId, null);

    // Still locked while pending; a denied payment leaves it locked.
    const pending = await get(h, `/api/screenings/${s.id}/pdf`, { token });
    assert.equal(pending.status, 402);
    await pending.body?.cancel();

    await sandboxPay(payment.orderId, "qris", "settlement");
    const applied = await syncPayment(payment.orderId);
    assert.equal(applied.result, "applied");
    assert.equal((await getPayment(payment.orderId))?.status, "paid");

    const open = await get(h, `/api/screenings/${s.id}/pdf`, { token });
    assert.equal(open.status, 200);
    const doc = await PDFDocument.load(new Uint8Array(await open.arrayBuffer()));
    assert.ok(doc.getPageCount() >= 1);
    const one = await get(h, `/api/screenings/${s.id}`, { token });
    assert.equal((await one.json()).screening.pdf.paid, true);
    const paidAgain = await sendJson(h, `/api/screenings/${s.id}/payment`, {}, { token });
    assert.equal(paidAgain.status, 409);
    assert.equal((await paidAgain.json()).error.code, "pdf_paid");

    // In the client's payment history.
    const mine = await listPayments({ payerId: client.id });
    assert.deepEqual(mine.items.map((p) => p.orderId), [payment.orderId]);
    const api = await get(h, "/api/payments", { token });
    assert.equal(api.status, 200);
    const listed = (await api.json()).items;
    assert.equal(listed[0].purpose.kind, "screening_pdf");
  } finally {
    kv.close();
  }
});

Deno.test("screening PDF: SCREENING_PDF_PRICE_IDR=0 makes every PDF free", async () => {
  const kv = await freshKv();
  Deno.env.set("SCREENING_PDF_PRICE_IDR", "0");
  try {
    const client = await makeUser("client");
    await recordConsent(client.id, CONSENT_TEXT_VERSION);
    const { set, table } = await current();
    const s = await createScreening(client, bodyVoting(set, table, "avoidant").body);
    assert.equal(s.pdf.required, false);
    assert.equal(s.pdf.priceIdr, 0);
  } finally {
    Deno.env.delete("SCREENING_PDF_PRICE_IDR");
    kv.close();
  }
});
