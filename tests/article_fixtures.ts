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

/** True when `html` contains something a browser would run or a tag outside the article allow-list. */
export function dangerousMarkup(html: string): string | null {
  if (
    /<\s*(script|iframe|object|embed|style|svg|math|form|input|button|meta|base|body|details|template|noscript)\b/i
      .test(html)
  ) return "tag";
  if (/\son[a-z]+\s*=/i.test(html)) return "event handler";
  if (/\sstyle\s*=/i.test(html)) return "style";
  if (/(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(html)) return "url";
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
