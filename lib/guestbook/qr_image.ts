/**
 * QR images of appointment codes: SVG for pages, PNG for download
 * and e-mail. Matrix by `qrcode-generator` (error correction M, automatic
 * version, byte mode), PNG encoding by `pngjs`. A 4-module quiet zone
 * surrounds the code (ISO/IEC 18004 §7.3.7).
 */
import qrcode from "qrcode-generator";
import { PNG } from "pngjs";

/** Quiet zone width in modules. */
export const QR_MARGIN = 4;

/** The module matrix of `text` (true = dark). */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  return Array.from(
    { length: n },
    (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)),
  );
}

/**
 * An SVG document of the QR for `text`: one `<path>` of dark modules on a white
 * square, scalable (`viewBox` in modules), with an accessible title.
 * @param opts.title text of `<title>` (escaped here)
 */
export function qrSvg(
  text: string,
  opts: { title?: string; size?: number } = {},
): string {
  const m = qrMatrix(text);
  const n = m.length + 2 * QR_MARGIN;
  let d = "";
  m.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < row.length && row[c]) c++;
      d += `M${start + QR_MARGIN} ${r + QR_MARGIN}h${c - start}v1h-${c - start}z`;
    }
  });
  const title = opts.title ? `<title>${escapeXml(opts.title)}</title>` : "";
  const size = opts.size ? ` width="${Math.trunc(opts.size)}" height="${Math.trunc(opts.size)}"` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n} ${n}"${size} shape-rendering="crispEdges" role="img">${title}` +
    `<rect width="${n}" height="${n}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

/**
 * A PNG of the QR for `text` (8-bit grayscale).
 * @param scale pixels per module, 1..40 (default 8)
 * @returns the PNG file bytes
 */
export function qrPng(text: string, scale = 8): Uint8Array<ArrayBuffer> {
  const s = Math.min(40, Math.max(1, Math.trunc(scale) || 8));
  const m = qrMatrix(text);
  const n = (m.length + 2 * QR_MARGIN) * s;
  const png = new PNG({ width: n, height: n });
  png.data.fill(255);
  m.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let y = (r + QR_MARGIN) * s; y < (r + QR_MARGIN + 1) * s; y++) {
        for (let x = (c + QR_MARGIN) * s; x < (c + QR_MARGIN + 1) * s; x++) {
          const i = (y * n + x) * 4;
          png.data[i] = png.data[i + 1] = png.data[i + 2] = 0;
        }
      }
    })
  );
  const buf = PNG.sync.write(png, {
    colorType: 0,
    inputColorType: 6,
    inputHasAlpha: true,
  });
  return Uint8Array.from(buf);
}

/** `data:image/png;base64,…` of {@link qrPng} (for e-mail bodies and `<img>`). */
export function qrPngDataUrl(text: string, scale = 6): string {
  const bytes = qrPng(text, scale);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return "data:image/png;base64," + btoa(bin);
}

function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}
