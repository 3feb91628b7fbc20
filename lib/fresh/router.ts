/**
 * File-system routing with Fresh's naming rules, from a generated manifest.
 *
 * | file (under routes/)        | pattern            |
 * | --------------------------- | ------------------ |
 * | `index.tsx`                 | `/`                |
 * | `about.tsx`                 | `/about`           |
 * | `blog/index.tsx`            | `/blog`            |
 * | `blog/[slug].tsx`           | `/blog/:slug`      |
 * | `[...rest].tsx`             | `/:rest*`          |
 * | `shop/[[page]].tsx`         | `/shop{/:page}?`   |
 * | `(group)/x.tsx`             | `/x`               |
 * | `_app`, `_layout`, `_middleware`, `_404`, `_error` (`_500`) | special, not routes |
 *
 * Routes are matched static-first: a route whose segments are more static wins
 * (Fresh sorts the same way), then dynamic, then catch-all. A pattern without
 * parameters can only match its own pathname and sorts before every pattern
 * that could also match it, so those are looked up in a `Map` first; the
 * URLPattern loop runs only over the dynamic routes.
 */
import type { RouteModule } from "./context.ts";

/** A routable file after classification. */
export interface RouteEntry {
  /** Manifest key, e.g. `./routes/blog/[slug].tsx`. */
  file: string;
  pattern: string;
  urlPattern: URLPattern;
  module: RouteModule;
  /** Directory chain from the root, e.g. ["", "blog"] — used to find middlewares/layouts. */
  dirs: string[];
  rank: number[];
}

/** Special files keyed by their directory ("" = routes root). */
export interface SpecialFiles {
  middlewares: Map<string, RouteModule>;
  layouts: Map<string, RouteModule>;
  /** `_error` (or its older name `_500`) per directory: renders errors thrown below it. */
  errors: Map<string, RouteModule>;
  app: RouteModule | null;
  /** Root `_404`: renders 404s (else the nearest `_error` does). */
  notFound: RouteModule | null;
}

/** The route table: parameterless patterns by pathname, the others in match order. */
export interface RouteTable {
  all: RouteEntry[];
  byPath: Map<string, RouteEntry>;
  dynamic: RouteEntry[];
}

/** A pattern URLPattern matches only against the identical pathname (no syntax characters). */
const LITERAL = /^[A-Za-z0-9/_.~-]*$/;

/**
 * Converts a route file path relative to `routes/` (e.g. `blog/[slug].tsx`) to
 * a URLPattern pathname. Returns null for special files (`_…`) .
 */
export function pathToPattern(rel: string): string | null {
  const noExt = rel.replace(/\.(tsx|ts|jsx|js)$/, "");
  const parts = noExt.split("/").filter((p) => p !== "");
  if (parts.some((p) => p.startsWith("_"))) return null;
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (/^\(.+\)$/.test(p)) continue; // route group
    if (p === "index" && i === parts.length - 1) continue;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\[\.\.\.(\w+)\]$/))) {
      out.push(`:${m[1]}*`);
    } else if ((m = p.match(/^\[\[(\w+)\]\]$/))) {
      out.push(`{/:${m[1]}}?`);
    } else {
      out.push("/" + p.replace(/\[(\w+)\]/g, ":$1").replace(/^:(\w+)\*$/, ":$1*"));
      continue;
    }
  }
  let pattern = "";
  for (const seg of out) {
    if (seg.startsWith(":") && seg.endsWith("*")) pattern += "/" + seg;
    else pattern += seg;
  }
  return pattern === "" ? "/" : pattern;
}

function rankOf(pattern: string): number[] {
  // Per segment: 0 = static, 1 = dynamic, 2 = optional, 3 = catch-all. Lower sorts first.
  return pattern.split("/").filter(Boolean).map((s) =>
    s.endsWith("*") ? 3 : s.includes("}?") ? 2 : s.includes(":") ? 1 : 0
  );
}

function compareRank(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? -1, y = b[i] ?? -1;
    if (x !== y) {
      if (x === -1) return y === 3 || y === 2 ? -1 : -1;
      if (y === -1) return 1;
      return x - y;
    }
  }
  return 0;
}

/** Builds the route table and special-file maps from manifest entries. */
export function buildRoutes(routes: Record<string, RouteModule>): { routes: RouteTable; special: SpecialFiles } {
  const special: SpecialFiles = {
    middlewares: new Map(),
    layouts: new Map(),
    errors: new Map(),
    app: null,
    notFound: null,
  };
  const entries: RouteEntry[] = [];
  for (const [file, module] of Object.entries(routes)) {
    const rel = file.replace(/^\.\/routes\//, "");
    const segs = rel.split("/");
    const base = segs[segs.length - 1].replace(/\.(tsx|ts|jsx|js)$/, "");
    const dir = segs.slice(0, -1).join("/");
    if (base === "_middleware") special.middlewares.set(dir, module);
    else if (base === "_layout") special.layouts.set(dir, module);
    else if (base === "_app" && dir === "") special.app = module;
    else if (base === "_404" && dir === "") special.notFound = module;
    else if (base === "_error" || (base === "_500" && !special.errors.has(dir))) special.errors.set(dir, module);
    else {
      const pattern = module.config?.routeOverride ?? pathToPattern(rel);
      if (!pattern) continue;
      const dirs = [""];
      for (let i = 0; i < segs.length - 1; i++) dirs.push(segs.slice(0, i + 1).join("/"));
      entries.push({
        file,
        pattern,
        urlPattern: new URLPattern({ pathname: pattern }),
        module,
        dirs,
        rank: rankOf(pattern),
      });
    }
  }
  entries.sort((a, b) => compareRank(a.rank, b.rank) || a.pattern.localeCompare(b.pattern));
  const byPath = new Map<string, RouteEntry>();
  const dynamic: RouteEntry[] = [];
  for (const e of entries) {
    if (LITERAL.test(e.pattern) && !e.pattern.endsWith("/") || e.pattern === "/") {
      if (!byPath.has(e.pattern)) byPath.set(e.pattern, e);
    } else dynamic.push(e);
  }
  return { routes: { all: entries, byPath, dynamic }, special };
}

/** Finds the first route matching `pathname`, with its decoded params. */
export function matchRoute(
  table: RouteTable,
  pathname: string,
): { route: RouteEntry; params: Record<string, string> } | null {
  const exact = table.byPath.get(pathname);
  if (exact) return { route: exact, params: {} };
  for (const route of table.dynamic) {
    const m = route.urlPattern.exec({ pathname });
    if (m) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.pathname.groups)) {
        if (v === undefined) continue;
        try {
          params[k] = decodeURIComponent(v);
        } catch {
          params[k] = v;
        }
      }
      return { route, params };
    }
  }
  return null;
}
