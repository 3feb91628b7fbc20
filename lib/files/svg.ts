/**
 * SVG uploads (screening stimuli, docs/domain-rules.md "Files"): an SVG is text with no magic bytes and may carry
 * scripts, event handlers, external references and XML entities. `sanitizeSvg` refuses what is not a plain SVG
 * document and rebuilds the rest through an allow-list with `sanitize-html` (XML mode): drawing elements and
 * presentation attributes only, `href` only to a fragment of the same document (`#id`). The sanitized bytes are
 * what the file store keeps; the store also serves every SVG with `Content-Security-Policy: default-src 'none';
 * style-src 'unsafe-inline'; sandbox` and `nosniff`, so even a direct visit runs nothing.
 */
import sanitizeHtml from "sanitize-html";
import { ValidationError } from "@/lib/errors.ts";

/** Drawing elements kept (SVG 1.1 shapes, text, gradients, clipping, reuse); everything else is dropped. */
const TAGS = [
  "svg",
  "g",
  "path",
  "rect",
  "circle",
  "ellipse",
  "line",
  "polyline",
  "polygon",
  "text",
  "tspan",
  "title",
  "desc",
  "defs",
  "linearGradient",
  "radialGradient",
  "stop",
  "clipPath",
  "mask",
  "use",
  "symbol",
];

/** Geometry and presentation attributes kept (no `style`, no event handlers). */
const ATTRIBUTES = [
  "id",
  "class",
  "d",
  "x",
  "y",
  "x1",
  "y1",
  "x2",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "fx",
  "fy",
  "dx",
  "dy",
  "width",
  "height",
  "viewBox",
  "xmlns",
  "points",
  "pathLength",
  "fill",
  "fill-opacity",
  "fill-rule",
  "clip-rule",
  "stroke",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-dashoffset",
  "opacity",
  "transform",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "gradientTransform",
  "spreadMethod",
  "clip-path",
  "clipPathUnits",
  "mask",
  "maskUnits",
  "font-size",
  "font-family",
  "font-weight",
  "font-style",
  "text-anchor",
  "dominant-baseline",
  "letter-spacing",
  "role",
  "aria-label",
  "aria-labelledby",
  "preserveAspectRatio",
  "href",
];

const OPTIONS: sanitizeHtml.IOptions = {
  parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false, decodeEntities: true },
  allowedTags: TAGS,
  allowedAttributes: { "*": ATTRIBUTES },
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // An element whose href leaves the document (http:, data:, javascript:, another file) is dropped whole.
  exclusiveFilter: (frame) => frame.attribs?.href !== undefined && !frame.attribs.href.startsWith("#"),
};

const refuse = (): never => {
  throw new ValidationError({ file: "files.type_not_allowed" });
};

/**
 * Whether `bytes` look like an SVG document at all (UTF-8 text whose first element is `<svg`), so the file store
 * can tell "an SVG" from "junk" before sanitizing.
 */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 4096));
  } catch {
    return false;
  }
  const head = text.replace(/^\uFEFF/, "").replace(/^\s*(<\?xml[^>]*\?>)?(\s*<!--[\s\S]*?-->)*\s*/, "");
  return head.startsWith("<svg") || head.startsWith("<!DOCTYPE svg");
}

/**
 * Returns a sanitized copy of an SVG upload (see the module comment).
 * @throws ValidationError `files.type_not_allowed` (field `file`) when the bytes are not UTF-8, declare a DOCTYPE or
 *   entities (entity expansion and external entities are refused, not parsed), have no `<svg>` root, or nothing
 *   drawable is left after sanitizing.
 */
export function sanitizeSvg(bytes: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return refuse();
  }
  if (!looksLikeSvg(bytes) || /<!DOCTYPE|<!ENTITY/i.test(text)) return refuse();
  const clean = sanitizeHtml(text, OPTIONS).trim();
  if (!clean.startsWith("<svg") || !clean.endsWith("</svg>")) return refuse();
  return new TextEncoder().encode(clean);
}
