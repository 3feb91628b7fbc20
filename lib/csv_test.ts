import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzz } from "@/tests/fuzz.ts";
import { csvDocument, csvField, csvResponse, csvRows, type CsvValue } from "./csv.ts";

/** (Test-only reader.)
 * Parses CSV text back into records (RFC 4180: quoted fields, doubled quotes,
 * CRLF or LF line ends; a leading byte-order mark is skipped). Meant for
 * tests and round trips of what {@link csvRows} writes — it does NOT undo the
 * formula guard's `'`.
 * @throws Error on an unterminated quoted field
 */
function parseCsv(text: string): string[][] {
  const s = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let any = false;
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      any = true;
      i++;
    } else if (c === ",") {
      row.push(field);
      field = "";
      any = true;
      i++;
    } else if (c === "\r" || c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      any = false;
      i += c === "\r" && s[i + 1] === "\n" ? 2 : 1;
    } else {
      field += c;
      any = true;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (any || field !== "") {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

Deno.test("csvField: RFC 4180 quoting and doubling", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("line1\nline2"), '"line1\nline2"');
  assert.equal(csvField("cr\r"), '"cr\r"');
  assert.equal(csvField(" lead"), '" lead"');
  assert.equal(csvField("trail "), '"trail "');
  assert.equal(csvField(""), "");
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(true), "true");
});

Deno.test("csvField: formula-injection guard on text, numbers stay numbers", () => {
  assert.equal(csvField("=1+1"), "'=1+1");
  assert.equal(csvField("+62 812"), "'+62 812");
  assert.equal(csvField("-2+3"), "'-2+3");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvField("\tx"), "'\tx");
  assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvField(-5), "-5");
  assert.equal(csvField(1234567), "1234567");
  assert.equal(csvField(1.5), "1.5");
  assert.equal(csvField(NaN), "");
  assert.equal(csvField(Infinity), "");
});

Deno.test("csvRows / csvDocument: CRLF records, BOM", () => {
  assert.equal(csvRows([]), "");
  assert.equal(csvRows([["a", 1], ["b,c", null]]), 'a,1\r\n"b,c",\r\n');
  assert.equal(csvDocument([["x"]]), "\uFEFFx\r\n");
});

Deno.test("csvResponse: headers", async () => {
  const res = csvResponse("a\r\n", 'rep ort"2026/11.csv');
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(res.headers.get("content-disposition"), 'attachment; filename="rep_ort_2026_11.csv"');
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal(await res.text(), "a\r\n");
});

Deno.test("csvRows round-trips any table (formula guard aside)", (t) => {
  const cell = fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.constantFrom(",", '"', "\r\n", "\n", " x ", '""', "=1", 'a,b"c'),
    fc.integer(),
  );
  fuzz(
    t,
    fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
      const back = parseCsv(csvDocument(rows as CsvValue[][]));
      const expected = rows.map((r) =>
        r.map((v) => {
          const s = String(v);
          return typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
        })
      );
      assert.deepEqual(back, expected);
    }),
    { numRuns: 300 },
  );
});

Deno.test("parseCsv (test reader) refuses an unterminated quote", () => {
  assert.throws(() => parseCsv('"abc'));
});
