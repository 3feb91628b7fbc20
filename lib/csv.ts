/**
 * A tiny CSV writer (RFC 4180) with a formula-injection guard, shared by every
 * CSV download (admin transactions and finance, and any later export).
 *
 * - Fields are separated by `,`, records end with CRLF (RFC 4180 §2.1–2.4).
 * - A field is quoted when it holds `,`, `"`, CR or LF, or starts/ends with
 *   whitespace; quotes inside are doubled (RFC 4180 §2.5–2.7).
 * - Text that starts with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so
 *   spreadsheets show it instead of running it as a formula (OWASP "CSV
 *   Injection"). Numbers are written as numbers (a negative number stays
 *   `-5`); non-finite numbers, `null` and `undefined` become an empty field.
 * - {@link csvDocument} prefixes a UTF-8 byte-order mark so spreadsheet
 *   programs detect the encoding.
 */

/** One CSV cell value. Booleans are written `true`/`false`. */
export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters that force quoting (RFC 4180 §2.6), plus leading/trailing whitespace. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One field, escaped: see the module comment for the rules.
 * @example csvField('a,"b"') === '"a,""b"""'; csvField("=1+1") === "'=1+1"; csvField(-5) === "-5"
 */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  let s = String(v);
  if (FORMULA_START.test(s)) s = "'" + s;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record: fields joined with `,`, no line end. */
export function csvRow(row: readonly CsvValue[]): string {
  return row.map(csvField).join(",");
}

/** Records joined with CRLF, each ending with CRLF (RFC 4180); `""` for no rows. */
export function csvRows(rows: readonly (readonly CsvValue[])[]): string {
  return rows.length === 0 ? "" : rows.map(csvRow).join("\r\n") + "\r\n";
}

/** A whole download: UTF-8 byte-order mark + {@link csvRows}. */
export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
  return "\uFEFF" + csvRows(rows);
}

/**
 * A CSV download response: `text/csv; charset=utf-8`, `Content-Disposition:
 * attachment` with the file name reduced to `[A-Za-z0-9._-]` (anything else →
 * `_`), and `Cache-Control: no-store` (exports hold private data).
 */
export function csvResponse(body: string, fileName: string): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "no-store",
    },
  });
}
