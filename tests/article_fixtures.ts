/** Shared inputs of the article and file-store tests: XSS payloads, a markup check, generated images. */
import { PNG } from "pngjs";

/** XSS payloads (OWASP XSS Filter Evasion Cheat Sheet and common variants). */
export const XSS_PAYLOADS: readonly string[] = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  "[x](javascript:alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "![x](javascript:alert(1))",
  "![x](data:image/svg+xml,<svg onload=alert(1)>)",
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<body onload="alert(1)">',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p onclick="alert(1)">click</p>',
  '<details open ontoggle="alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<input autofocus onfocus="alert(1)">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  "<style>@import 'javascript:alert(1)';</style>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
  "<<script>script>alert(1)<</script>/script>",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  '"><script>alert(1)</script>',
  "<a href='vbscript:msgbox(1)'>x</a>",
  "<template><script>alert(1)</script></template>",
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
];

/** Tags the article sanitiser may leave (lib/articles/render.ts). */
const ALLOWED_TAGS = new Set(
  "h2 h3 h4 h5 h6 p br hr blockquote ul ol li strong em del code pre a img table thead tbody tr th td".split(" "),
);
const ALLOWED_ATTRS = new Set(["href", "src", "alt", "title", "rel", "align", "start"]);

/**
 * Why `html` is unsafe, or null: every real tag in it (escaped text such as
 * `&lt;script&gt;` is not a tag) must be on the allow-list, carry only allowed
 * attributes (no `on*`, no `style`), and URLs must not use `javascript:`,
 * `data:` or `vbscript:` (entities decoded, spaces and case ignored).
 */
export function dangerousMarkup(html: string): string | null {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const tag = m[1].toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) return `tag <${tag}>`;
    for (const a of m[2].matchAll(/([^\s"'=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const name = a[1].toLowerCase();
      if (!ALLOWED_ATTRS.has(name)) return `attribute ${name} on <${tag}>`;
      const raw = (a[2] ?? "").replace(/^["']|["']$/g, "");
      const value = raw.replace(/&#x([0-9a-f]+);?/gi, (_, x) => String.fromCodePoint(parseInt(x, 16)))
        .replace(/&#([0-9]+);?/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&colon;/gi, ":")
        .replace(/\s+/g, "");
      const bare = [...value].filter((c) => c.charCodeAt(0) > 0x20).join("").toLowerCase();
      if ((name === "href" || name === "src") && /^(javascript|data|vbscript):/.test(bare)) return `url ${bare}`;
    }
  }
  return null;
}

/** A PNG of `w`×`h`; `noise` fills it with random pixels (incompressible, so the file is big). */
export function png(w: number, h: number, noise = false): Uint8Array {
  const img = new PNG({ width: w, height: h });
  if (noise) {
    for (let at = 0; at < img.data.length; at += 65536) {
      crypto.getRandomValues(img.data.subarray(at, Math.min(img.data.length, at + 65536)));
    }
  }
  return new Uint8Array(PNG.sync.write(img));
}
