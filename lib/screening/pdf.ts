/**
 * The PDF summary of a screening (docs/domain-rules.md "Emotion screening"), for a
 * consultation outside the platform, and its payment.
 *
 * - Drawn with pdf-lib (npm, MIT) in the client's language (id/en): the style with its plain meaning,
 *   the vote counts, one row per picture, the "screening aid, not a diagnosis" notice, the crisis
 *   resources, and the versions and backend it was computed with. Standard Helvetica (WinAnsi): any
 *   character outside that set is written as "?".
 * - Free when the result is secure or `SCREENING_PDF_PRICE_IDR` is 0; otherwise the client pays through
 *   the payments flow (purpose kind `screening_pdf`, `./payment_effect.ts` unlocks it, and locks it again
 *   on a refund or chargeback); until then the download answers 402 `payment_required`. One payable order
 *   per screening at a time ({@link startPdfPayment}).
 */
import { PDFDocument, type PDFFont, rgb, StandardFonts } from "pdf-lib";
import { config } from "@/lib/config.ts";
import { getKv } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound, PaymentRequired, ServiceUnavailable } from "@/lib/errors.ts";
import { type Lang, translate } from "@/lib/i18n/mod.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import type { User } from "@/lib/auth/users.ts";
import type { Payment } from "@/lib/payments/model.ts";
import { getPayment, startPayment, syncPayment } from "@/lib/payments/store.ts";
import { getStimulusSet } from "./stimuli.ts";
import type { StimulusSet } from "./model.ts";
import { getScreeningEntry, getScreeningFor, type Screening, type ScreeningRecord } from "./store.ts";
import * as K from "./keys.ts";
import { enforce } from "@/lib/ratelimit.ts";

/** The caption of each picture of a screening (its set's, in `lang`), by stimulus id. */
export function captionsOf(set: StimulusSet | null, lang: Lang): Map<string, string> {
  return new Map((set?.items ?? []).map((s) => [s.id, s.caption[lang] || s.caption.id]));
}

/**
 * Draws the PDF summary of `s` in `lang`.
 * @param s the opened screening
 * @param opts `clientName` printed on it, `captions` by stimulus id (else the theme key), `nowMs` the
 *   "generated" time
 * @returns the PDF bytes
 */
export async function renderScreeningPdf(
  s: Screening,
  lang: Lang,
  opts: { clientName: string; captions?: Map<string, string>; nowMs?: number },
): Promise<Uint8Array> {
  const t = (key: string, params?: Record<string, string | number>) => translate(lang, key, params);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(t("screening.res.title"));
  doc.setSubject(t("screening.res.notice"));
  doc.setProducer("RuangPulih");
  doc.setCreator("RuangPulih");
  doc.setLanguage(lang === "id" ? "id-ID" : "en-GB");
  const nowMs = opts.nowMs ?? Date.now();
  doc.setCreationDate(new Date(nowMs));
  doc.setModificationDate(new Date(nowMs));

  const W = 595.28, H = 841.89, M = 50; // A4 in points, 50 pt margins
  let page = doc.addPage([W, H]);
  let y = H - M;
  const ink = rgb(0.12, 0.16, 0.2), muted = rgb(0.38, 0.42, 0.48), accent = rgb(0.05, 0.45, 0.42);
  const ensure = (h: number) => {
    if (y - h < M) {
      page = doc.addPage([W, H]);
      y = H - M;
    }
  };
  const line = (text: string, size = 10.5, f: PDFFont = font, color = ink, x = M) => {
    ensure(size * 1.45);
    page.drawText(safe(f, text), { x, y: y - size, size, font: f, color });
    y -= size * 1.45;
  };
  const para = (text: string, size = 10.5, f: PDFFont = font, color = ink) => {
    for (const l of wrap(f, safe(f, text), size, W - 2 * M)) line(l, size, f, color);
    y -= size * 0.5;
  };

  line(t("screening.res.title"), 18, bold, accent);
  line(
    `${opts.clientName} · ${t("screening.res.subtitle", { date: formatDateTime(s.createdAt, lang, config.timeZone) })}`,
    10,
    font,
    muted,
  );
  y -= 8;
  para(t("screening.res.notice"), 10, bold);
  line(`${t("screening.res.style_label")}: ${t(`screening.style.${s.result}`)}`, 14, bold);
  para(t(`screening.meaning.${s.result}`));
  line(t("screening.res.counts"), 12, bold);
  const total = s.perStimulus.length;
  for (const st of ["secure", "anxious", "avoidant"] as const) {
    line(
      `${t(`screening.style.${st}`)}: ${t("screening.res.count_of", { count: s.counts[st], total })}`,
      10.5,
      font,
      ink,
      M + 10,
    );
  }
  line(`${t("screening.res.not_enough_face")}: ${s.notEnoughFace}`, 10.5, font, ink, M + 10);
  y -= 6;

  line(t("screening.res.pictures"), 12, bold);
  const cols = [M, M + 24, M + 250, M + 345, M + 390];
  const header = [
    "#",
    t("screening.res.picture"),
    t("screening.res.col_dominant"),
    t("screening.res.col_share"),
    t("screening.res.col_vote"),
  ];
  ensure(16);
  header.forEach((h, i) => page.drawText(safe(bold, h), { x: cols[i], y: y - 9, size: 9, font: bold, color: muted }));
  y -= 15;
  s.perStimulus.forEach((p, i) => {
    const caption = opts.captions?.get(p.stimulusId) ?? p.theme;
    const capLines = wrap(font, safe(font, caption), 9, cols[2] - cols[1] - 8).slice(0, 2);
    ensure(12 * capLines.length + 4);
    const cells = [
      String(i + 1),
      "",
      p.enoughFace && p.dominant ? t(`screening.emotion.${p.dominant}`) : t("screening.res.no_face"),
      p.dominant ? `${Math.round(p.share * 100)} %` : "–",
      p.vote ? t(`screening.style.${p.vote}`) : t("screening.res.no_vote"),
    ];
    cells.forEach((c, k) => {
      if (k === 1) return;
      const txt = wrap(font, safe(font, c), 9, (cols[k + 1] ?? W - M) - cols[k] - 6)[0] ?? "";
      page.drawText(txt, { x: cols[k], y: y - 9, size: 9, font, color: ink });
    });
    capLines.forEach((l, k) => page.drawText(l, { x: cols[1], y: y - 9 - k * 11, size: 9, font, color: ink }));
    y -= 11 * capLines.length + 4;
  });
  y -= 8;
  line(t("screening.res.crisis_title"), 12, bold);
  para(t("screening.res.crisis"));
  para(
    `${t("screening.res.backend")}: ${t(`screening.backend.${s.backend}`)} · ${
      t("screening.res.model")
    }: ${s.modelVersion} · ` +
      `${t("screening.res.versions")}: ${s.stimulusSetVersion} / ${s.mappingVersion}`,
    8.5,
    font,
    muted,
  );
  para(
    `${t("screening.pdf.generated", { date: formatDateTime(new Date(nowMs), lang, config.timeZone) })} · ${
      t("screening.pdf.footer")
    }`,
    8.5,
    font,
    muted,
  );
  return await doc.save();
}

/** `text` with every character the font cannot encode replaced by "?". */
function safe(font: PDFFont, text: string): string {
  const set = charsetOf(font);
  let out = "";
  for (const ch of text.replace(/[\r\n\t]+/g, " ")) out += set.has(ch.codePointAt(0)!) ? ch : "?";
  return out;
}

const charsets = new WeakMap<PDFFont, Set<number>>();
function charsetOf(font: PDFFont): Set<number> {
  let s = charsets.get(font);
  if (!s) {
    s = new Set(font.getCharacterSet());
    charsets.set(font, s);
  }
  return s;
}

/** Greedy word wrap to `width` points; a word longer than a line is cut. */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = cur ? `${cur} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      cur = next;
      continue;
    }
    if (cur) out.push(cur);
    let w = word;
    while (font.widthOfTextAtSize(w, size) > width && w.length > 1) {
      let n = w.length - 1;
      while (n > 1 && font.widthOfTextAtSize(w.slice(0, n), size) > width) n--;
      out.push(w.slice(0, n));
      w = w.slice(n);
    }
    cur = w;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * The PDF of screening `id` for its client (`GET /api/screenings/{id}/pdf`), in the client's language.
 * Every rendered PDF counts against the client's `screening_pdf` limit (30 an hour, lib/ratelimit.ts),
 * checked after access and payment and before the CPU-bound rendering.
 * @throws Forbidden for any role but client; NotFound `screening_not_found` (also another client's);
 *   PaymentRequired `payment_required` while an insecure result's PDF is unpaid and the price is above 0;
 *   TooManyRequests (429 with Retry-After) past the limit
 */
export async function screeningPdfFor(
  client: User,
  id: string,
  nowMs = Date.now(),
): Promise<{ bytes: Uint8Array; fileName: string }> {
  if (client.role !== "client") throw new Forbidden();
  const s = await getScreeningFor(client, id);
  if (s.pdf.required && !s.pdf.paid) throw new PaymentRequired("payment_required", "error.payment_required");
  await enforce("screening_pdf", client.id, nowMs);
  const lang: Lang = client.lang === "en" ? "en" : "id";
  const set = await getStimulusSet(s.stimulusSetVersion);
  const bytes = await renderScreeningPdf(s, lang, { clientName: client.name, captions: captionsOf(set, lang), nowMs });
  return { bytes, fileName: `ruangpulih-screening-${s.createdAt.slice(0, 10)}.pdf` };
}

/**
 * Starts (or resumes) the payment of screening `id`'s PDF for its client (docs/domain-rules.md "PDF
 * summary and its payment"). Idempotent per screening: a pending payment whose window is still open is
 * returned as it is, however little of it is left; one whose window has passed is first asked of
 * Midtrans (status API) — paid → `pdf_paid`, still pending there → returned, expired → a new one.
 * Otherwise a new Midtrans Snap payment of `SCREENING_PDF_PRICE_IDR` (order id `SP-<id>-<time>`,
 * purpose `screening_pdf`, the whole amount to the platform, expiring after `PAYMENT_WINDOW_MINUTES`,
 * back to `/screening/<id>` when done), claimed on the screening in one checked commit before Snap is
 * called, so concurrent requests start one order (the others wait for it and get it). A refunded
 * payment's PDF is locked again and can be paid anew.
 * @throws Forbidden for any role but client; NotFound `screening_not_found`; Conflict `pdf_free` (nothing
 *   to pay) or `pdf_paid`; the payment module's errors (503 when the provider cannot be reached)
 */
export async function startPdfPayment(client: User, id: string, nowMs = Date.now()): Promise<Payment> {
  if (client.role !== "client") throw new Forbidden();
  const s = await getScreeningFor(client, id);
  if (!s.pdf.required) throw new Conflict("pdf_free", "screening.error.pdf_free");
  if (s.pdf.paid) throw new Conflict("pdf_paid", "screening.error.pdf_paid");
  const entry = await getScreeningEntry(id);
  if (!entry) throw new NotFound("screening_not_found", "screening.error.not_found");
  const prev = entry.value.pdf.orderId ? await getPayment(entry.value.pdf.orderId) : null;
  // An order claimed moments ago whose payment is not stored yet: another request is starting it.
  if (entry.value.pdf.orderId && !prev && nowMs - claimedAt(entry.value.pdf.orderId) < CLAIM_WAIT_MS) {
    return await claimedPayment(id, nowMs);
  }
  // One payable order at a time: the pending order is reused until its window ends (Snap stops taking it
  // then), however little is left of it.
  if (prev?.status === "pending" && Date.parse(prev.expiresAt) > nowMs) return prev;
  if (prev?.status === "pending") {
    // Its window has passed but no answer has come yet: ask Midtrans before making a new order, so a
    // payment made at the last moment unlocks the PDF instead of being paid twice (unreachable → 503).
    const r = await syncPayment(prev.orderId, nowMs);
    const now = "payment" in r ? r.payment : prev;
    if (now.status === "paid") throw new Conflict("pdf_paid", "screening.error.pdf_paid");
    if (now.status === "pending") return now; // Midtrans still takes it: still the one payable order
    return await startPdfPayment(client, id, nowMs); // expired now: read the screening afresh
  }
  if (prev?.status === "paid") throw new Conflict("pdf_paid", "screening.error.pdf_paid");
  const lang: Lang = client.lang === "en" ? "en" : "id";
  const orderId = `SP-${id}-${nowMs.toString(36)}`;
  // Claim the new order on the screening first, in one checked commit, so that requests at the same
  // time (a double click) start one order, not two payable ones (review 2): the others wait for it.
  const kv = await getKv();
  const claimed = { ...entry.value, pdf: { ...entry.value.pdf, orderId } };
  const claim = await kv.atomic().check(entry).set(entry.key, claimed).commit();
  if (!claim.ok) return await claimedPayment(id, nowMs);
  try {
    return await startPayment({
      orderId,
      purpose: { kind: "screening_pdf", id },
      payerId: client.id,
      payeeId: null,
      grossAmountIdr: s.pdf.priceIdr,
      itemDetails: [{
        id: "screening-pdf",
        // Midtrans item names are at most 50 characters (docs.midtrans.com, Snap "item_details").
        name: translate(lang, "screening.pdf.item").slice(0, 50),
        priceIdr: s.pdf.priceIdr,
        quantity: 1,
      }],
      customer: { firstName: client.name, email: client.email ?? undefined, phone: client.phone ?? undefined },
      expiresAt: new Date(nowMs + config.paymentWindowMinutes * 60_000).toISOString(),
      finishUrl: `${config.baseUrl}/screening/${id}`,
    }, nowMs);
  } catch (err) {
    // Give the claim back (unless something moved on meanwhile), so the next try starts afresh.
    const cur = await kv.get<ScreeningRecord>(K.screeningKey(id));
    if (cur.value && cur.value.pdf.orderId === orderId && !cur.value.pdf.paidAt) {
      await kv.atomic().check(cur).set(cur.key, { ...cur.value, pdf: entry.value.pdf }).commit();
    }
    throw err;
  }
}

/** Longest wait for an order another request claimed (Snap's own timeout is 10 s), ms. */
const CLAIM_WAIT_MS = 12_000;

/** When order `SP-<id>-<ms in base 36>` was claimed (ms since epoch; 0 when it does not read as one). */
function claimedAt(orderId: string): number {
  const ms = parseInt(orderId.slice(orderId.lastIndexOf("-") + 1), 36);
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * The payment another request is starting for screening `id` (it claimed the order first): polled
 * until it is stored, the PDF is paid, or {@link CLAIM_WAIT_MS}.
 * @throws Conflict `pdf_paid`; ServiceUnavailable when the other request did not get its order
 */
async function claimedPayment(id: string, nowMs: number): Promise<Payment> {
  const started = Date.now();
  for (;;) {
    const cur = await getScreeningEntry(id);
    if (!cur) throw new NotFound("screening_not_found", "screening.error.not_found");
    if (cur.value.pdf.paidAt) throw new Conflict("pdf_paid", "screening.error.pdf_paid");
    const p = cur.value.pdf.orderId ? await getPayment(cur.value.pdf.orderId) : null;
    if (p?.status === "paid") throw new Conflict("pdf_paid", "screening.error.pdf_paid");
    if (p?.status === "pending" && Date.parse(p.expiresAt) > nowMs) return p;
    if (Date.now() - started > CLAIM_WAIT_MS) {
      throw new ServiceUnavailable(5, "payment_provider_unavailable", "pay.error.provider_unavailable");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
