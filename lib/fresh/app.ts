/**
 * `App` — the Fresh 2 `App` subset: middlewares, programmatic and file-system
 * routes, page rendering with `_app`/`_layout`, islands and error pages
 * (`_404`, `_error`/`_500` as error boundaries per directory, as in Fresh 2).
 */
import { type ComponentType, h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import {
  type Context,
  HttpError,
  isPageResponse,
  type Method,
  METHODS,
  type Middleware,
  type PageResponse,
  type RouteHandler,
  type RouteModule,
  type ServeInfo,
} from "./context.ts";
import { buildRoutes, matchRoute, type RouteEntry, type RouteTable, type SpecialFiles } from "./router.ts";
import { escapeScriptJson, registerIsland, serializeProps, withIslands } from "./islands.ts";
import type { BuildInfo } from "./build.ts";
import { setAssetBuildId } from "./runtime.ts";

/** The generated manifest (`fresh.gen.ts`). */
export interface Manifest {
  routes: Record<string, RouteModule>;
  islands: Record<string, Record<string, unknown>>;
}

export interface AppOptions<State> {
  /** Island bundles (from `loadBuild`); null = pages with islands render without hydration. */
  build?: BuildInfo | null;
  /** Returns the CSP nonce for inline scripts of this request. */
  nonce?: (state: State) => string | undefined;
}

interface ProgRoute<State> {
  method: Method | "*";
  pattern: URLPattern;
  handler: RouteHandler<unknown, State>;
}

const HASHED_JS_CACHE = "public, max-age=31536000, immutable";
const ROOT_DIRS = [""];
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" } as const;
const EMPTY_PATTERN = new URLPattern({ pathname: "/" });

type RenderFn<State> = (
  ctx: Context<State>,
  route: RouteEntry | null,
  data: unknown,
  init?: ResponseInit,
  vnode?: VNode,
) => Response;

const NO_NEXT = () => Promise.reject(new Error("next() called outside a middleware chain"));

/**
 * The per-request context (one object, methods on the prototype: no closures
 * per request). `#route` is the route whose page `render()` renders: the
 * matched one, or the error route while an error page renders.
 */
class RequestContext<State> implements Context<State> {
  params: Record<string, string> = {};
  state = {} as State;
  route: string | null = null;
  error: unknown = undefined;
  next: () => Promise<Response> = NO_NEXT;
  #route: RouteEntry | null;
  #render: RenderFn<State>;

  constructor(
    readonly req: Request,
    readonly url: URL,
    readonly info: ServeInfo,
    route: RouteEntry | null,
    render: RenderFn<State>,
  ) {
    this.#route = route;
    this.#render = render;
  }

  /** Points `render()` at another route (an error boundary's). */
  static renderRoute<S>(ctx: Context<S>, route: RouteEntry): void {
    if (ctx instanceof RequestContext) ctx.#route = route;
  }

  render(vnode?: VNode<any> | null, init?: ResponseInit): Promise<Response> {
    return Promise.resolve(this.#render(this, this.#route, undefined, init, vnode ?? undefined));
  }

  redirect(to: string, status = 302): Response {
    return redirect(to, status);
  }
}

/** An application (Fresh 2 `new App<State>()`). */
export class App<State> {
  #middlewares: Middleware<State>[] = [];
  #prog: ProgRoute<State>[] = [];
  #routes: RouteTable = { all: [], byPath: new Map(), dynamic: [] };
  #special: SpecialFiles = { middlewares: new Map(), layouts: new Map(), errors: new Map(), app: null, notFound: null };
  #build: BuildInfo | null;
  #islandFiles = new Map<string, { file: string; exportName: string }>();
  #nonce: (state: State) => string | undefined;
  /** Middleware chain (error boundaries included) per directory chain, built on first use. */
  #chains = new Map<string, Middleware<State>[]>();
  #renderFn: RenderFn<State> = (ctx, route, data, init, vnode) => this.#renderPage(ctx, route, data, init, vnode);

  constructor(options: AppOptions<State> = {}) {
    this.#build = options.build ?? null;
    this.#nonce = options.nonce ?? (() => undefined);
    if (this.#build) setAssetBuildId(this.#build.buildId);
  }

  /** Adds a middleware that runs for every request, in order. */
  use(mw: Middleware<State>): this {
    this.#middlewares.push(mw);
    this.#chains.clear();
    return this;
  }

  #add(method: Method | "*", path: string, handler: RouteHandler<unknown, State>): this {
    this.#prog.push({ method, pattern: new URLPattern({ pathname: path }), handler });
    return this;
  }
  get(path: string, h: RouteHandler<unknown, State>): this {
    return this.#add("GET", path, h);
  }
  post(path: string, h: RouteHandler<unknown, State>): this {
    return this.#add("POST", path, h);
  }
  put(path: string, h: RouteHandler<unknown, State>): this {
    return this.#add("PUT", path, h);
  }
  delete(path: string, h: RouteHandler<unknown, State>): this {
    return this.#add("DELETE", path, h);
  }
  all(path: string, h: RouteHandler<unknown, State>): this {
    return this.#add("*", path, h);
  }

  /** Registers the file-system routes and islands of a generated manifest. */
  fsRoutes(manifest: Manifest): this {
    const { routes, special } = buildRoutes(manifest.routes);
    this.#routes = routes;
    this.#special = special;
    this.#chains.clear();
    for (const [file, mod] of Object.entries(manifest.islands)) {
      const name = islandName(file);
      registerIsland(name, mod);
      for (const exp of Object.keys(mod)) {
        const key = exp === "default" ? name : `${name}_${exp}`;
        this.#islandFiles.set(key, { file: name, exportName: exp });
      }
    }
    return this;
  }

  /** The route table (pattern per file), for tests and diagnostics. */
  routeTable(): { file: string; pattern: string }[] {
    return this.#routes.all.map((r) => ({ file: r.file, pattern: r.pattern }));
  }

  /** Returns a `(Request, info?) => Promise<Response>` function (Fresh 2 `app.handler()`). */
  handler(): (req: Request, info?: ServeInfo) => Promise<Response> {
    return (req, info) => this.#handle(req, info);
  }

  /** Serves the app with `Deno.serve`. */
  listen(options: Deno.ServeTcpOptions = {}): Deno.HttpServer<Deno.NetAddr> {
    return Deno.serve(options, this.handler());
  }

  async #handle(req: Request, info: ServeInfo): Promise<Response> {
    const url = new URL(req.url);
    // Hashed island bundles: immutable; after the app's own middlewares (as Fresh's
    // staticFiles() serves them), so cross-cutting headers reach them, before any route's.
    if (url.pathname.startsWith("/_fresh/js/") && (req.method === "GET" || req.method === "HEAD")) {
      const bctx = new RequestContext<State>(req, url, info, null, this.#renderFn);
      const mws = this.#middlewares;
      let k = 0;
      bctx.next = () => Promise.resolve(k < mws.length ? mws[k++](bctx) : this.#serveBundle(req, url));
      return await bctx.next();
    }
    let prog: ProgRoute<State> | null = null;
    let progParams: Record<string, string> = {};
    for (const r of this.#prog) {
      const m = r.pattern.exec({ pathname: url.pathname });
      if (m && (r.method === "*" || r.method === req.method || (req.method === "HEAD" && r.method === "GET"))) {
        prog = r;
        progParams = Object.fromEntries(Object.entries(m.pathname.groups).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >;
        break;
      }
    }
    const match = prog ? null : matchRoute(this.#routes, url.pathname);
    const ctx = new RequestContext<State>(req, url, info, match?.route ?? null, this.#renderFn);
    const chain = this.#chainFor(match ? match.route.dirs : ROOT_DIRS);
    const final = async (): Promise<Response> => {
      if (prog) {
        ctx.params = progParams;
        return await this.#runHandler(ctx, prog.handler, null);
      }
      if (!match) {
        if (url.pathname.length > 1 && url.pathname.endsWith("/")) {
          const target = url.pathname.replace(/\/+$/, "") || "/";
          if (matchRoute(this.#routes, target)) return redirect(target + url.search, 308);
        }
        throw new HttpError(404);
      }
      ctx.params = match.params;
      ctx.route = match.route.pattern;
      return await this.#runHandler(
        ctx,
        (match.route.module.handler as RouteHandler<unknown, State>) ?? null,
        match.route,
      );
    };
    let i = 0;
    ctx.next = () => {
      const mw = chain[i++];
      return Promise.resolve(mw ? mw(ctx) : final());
    };
    let res: Response;
    try {
      res = await ctx.next();
    } catch (err) {
      res = this.#fallbackError(ctx, err);
    }
    if (req.method === "HEAD" && res.body) res = new Response(null, { status: res.status, headers: res.headers });
    return res;
  }

  /**
   * The middlewares of a request whose route lives in `dirs`, outermost first:
   * per directory (root first) its `_error` boundary, then its `_middleware`s,
   * as Fresh 2 orders a route's segments; `app.use()` middlewares belong to the
   * root, after its boundary.
   */
  #chainFor(dirs: string[]): Middleware<State>[] {
    const key = dirs.join("\0");
    let chain = this.#chains.get(key);
    if (chain) return chain;
    chain = [];
    for (const d of dirs) {
      const errorRoute = this.#special.errors.get(d);
      if (errorRoute || (d === "" && this.#special.notFound)) chain.push(this.#boundary(d, errorRoute ?? null));
      if (d === "") chain.push(...this.#middlewares);
      chain.push(...middlewaresOf<State>(this.#special.middlewares.get(d)));
    }
    this.#chains.set(key, chain);
    return chain;
  }

  /**
   * An error boundary (Fresh 2 segment): an error thrown further in sets
   * `ctx.error` and renders the root `_404` (for a 404) or this directory's
   * `_error` page, with the error's status (HttpError) or 500. Errors of that
   * rendering propagate to the boundary outside.
   */
  #boundary(dir: string, errorRoute: RouteModule | null): Middleware<State> {
    const dirs = dir === "" ? ROOT_DIRS : ["", ...dir.split("/").map((_, i, a) => a.slice(0, i + 1).join("/"))];
    return async (ctx) => {
      try {
        return await ctx.next();
      } catch (err) {
        const status = err instanceof HttpError ? err.status : 500;
        const notFound = this.#special.notFound;
        const mod = status === 404 && notFound ? notFound : errorRoute;
        if (!mod) throw err;
        ctx.error = err;
        const route: RouteEntry = {
          file: mod === notFound ? "_404" : `${dir}/_error`,
          pattern: ctx.route ?? "",
          urlPattern: EMPTY_PATTERN,
          module: mod,
          dirs: mod === notFound ? ROOT_DIRS : dirs,
          rank: [],
        };
        RequestContext.renderRoute(ctx, route);
        return await this.#runHandler(ctx, (mod.handler as RouteHandler<unknown, State>) ?? null, route, status);
      }
    };
  }

  /**
   * Runs a route's handler for the request method and renders `page()`
   * results. `errorStatus` marks an error page: it has no 405 (a method without
   * a handler renders the page) and its page gets that status unless `page()`
   * sets one.
   */
  async #runHandler(
    ctx: Context<State>,
    handler: RouteHandler<unknown, State> | null,
    route: RouteEntry | null,
    errorStatus?: number,
  ): Promise<Response> {
    const method = ctx.req.method as Method;
    let result: Response | PageResponse<unknown>;
    const byMethod = handler && typeof handler === "object"
      ? handler[method] ?? (method === "HEAD" ? handler.GET : undefined)
      : undefined;
    if (typeof handler === "function") {
      result = await handler(ctx);
    } else if (byMethod) {
      result = await byMethod(ctx);
    } else if (handler && typeof handler === "object" && errorStatus === undefined) {
      const allow = METHODS.filter((m) => m in handler || (m === "HEAD" && "GET" in handler));
      throw new HttpError(405, "Method Not Allowed", { allow: allow.join(", ") });
    } else if (route?.module.default && (method === "GET" || method === "HEAD" || errorStatus !== undefined)) {
      result = { __page: true, data: undefined };
    } else {
      return new Response("Method Not Allowed", {
        status: 405,
        headers: { allow: route?.module.default ? "GET, HEAD" : "" },
      });
    }
    if (result instanceof Response) return result;
    if (isPageResponse(result)) {
      if (!route?.module.default) {
        throw new Error(`Route ${route?.file ?? ctx.url.pathname} returned page() but has no default export`);
      }
      let headers = result.headers;
      if (errorStatus !== undefined && ctx.error instanceof HttpError) {
        // Headers the error must carry (Allow on a 405) unless the error page set them.
        const merged = new Headers(headers);
        for (const [k, v] of ctx.error.headers) if (!merged.has(k)) merged.set(k, v);
        headers = merged;
      }
      return this.#renderPage(ctx, route, result.data, { status: result.status ?? errorStatus, headers });
    }
    throw new Error(`Handler for ${ctx.url.pathname} returned neither a Response nor page()`);
  }

  /** Renders a page (route component or given vnode) inside its layouts and `_app`. */
  #renderPage(
    ctx: Context<State>,
    route: RouteEntry | null,
    data: unknown,
    init?: ResponseInit,
    vnode?: VNode,
  ): Response {
    const mod = route?.module;
    const props = { data, state: ctx.state, url: ctx.url, params: ctx.params, route: ctx.route, error: ctx.error };
    let Inner: ComponentType<Record<string, never>> = vnode
      ? () => vnode
      : () => h(mod!.default as ComponentType<any>, { ...props, Component: () => null });
    if (!mod?.config?.skipInheritedLayouts) {
      const dirs = route ? route.dirs : ROOT_DIRS;
      for (let i = dirs.length - 1; i >= 0; i--) {
        const layout = this.#special.layouts.get(dirs[i]);
        if (!layout?.default) continue;
        const Wrapped: ComponentType<Record<string, never>> = Inner;
        const L = layout.default as ComponentType<any>;
        Inner = (): VNode => h(L, { ...props, Component: Wrapped });
        if (layout.config?.skipInheritedLayouts) break;
      }
    }
    const root = this.#special.app?.default && !mod?.config?.skipAppWrapper
      ? h(this.#special.app.default as ComponentType<any>, { ...props, Component: Inner })
      : h(Inner, {});
    const { result, islands } = withIslands(() => renderToString(root));
    let html = result;
    if (islands.used.size > 0 && !this.#build) serializeProps(islands.props); // same errors without bundles
    if (islands.used.size > 0) html = this.#injectBoot(html, islands.used, islands.props, this.#nonce(ctx.state));
    let headers: HeadersInit = HTML_TYPE;
    if (init?.headers) {
      headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", HTML_TYPE["content-type"]);
    }
    return new Response("<!DOCTYPE html>" + html, { status: init?.status ?? 200, headers });
  }

  #injectBoot(html: string, used: Set<string>, props: unknown[], nonce: string | undefined): string {
    const build = this.#build;
    if (!build) return html; // no bundles built: islands stay server-rendered only
    const n = nonce ? ` nonce="${nonce}"` : "";
    const base = `/_fresh/js/${build.buildId}/`;
    const imports: string[] = [];
    const names: string[] = [];
    const preloads: string[] = [];
    let k = 0;
    for (const name of used) {
      const info = this.#islandFiles.get(name);
      const file = info && build.islands[info.file];
      if (!info || !file) continue;
      const local = `I${k++}`;
      imports.push(
        info.exportName === "default"
          ? `import ${local} from "${base}${file}";`
          : `import { ${info.exportName} as ${local} } from "${base}${file}";`,
      );
      names.push(`${JSON.stringify(name)}:${local}`);
      preloads.push(`<link rel="modulepreload" href="${base}${file}">`);
    }
    const script = `<style${n}>fresh-island{display:contents}</style>` +
      `<script id="__FRSH_STATE" type="application/json"${n}>${escapeScriptJson(serializeProps(props))}</script>` +
      `<script type="module"${n}>import { boot } from "${base}${build.boot}";${imports.join("")}boot({${
        names.join(",")
      }});</script>`;
    const at = html.lastIndexOf("</body>");
    const withScript = at === -1 ? html + script : html.slice(0, at) + script + html.slice(at);
    const head = withScript.indexOf("</head>");
    return head === -1 ? withScript : withScript.slice(0, head) + preloads.join("") + withScript.slice(head);
  }

  /** Last resort when no error page handled `err` (or rendering one failed): plain text. */
  #fallbackError(ctx: Context<State>, err: unknown): Response {
    const status = err instanceof HttpError ? err.status : 500;
    if (status >= 500) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "unhandled",
          path: ctx.url.pathname,
          error: String((err as Error)?.stack ?? err),
        }),
      );
    }
    const headers = new Headers(err instanceof HttpError ? err.headers : undefined);
    headers.set("content-type", "text/plain; charset=utf-8");
    const text = err instanceof HttpError && status < 500
      ? err.message
      : status === 404
      ? "Not Found"
      : "Internal Server Error";
    return new Response(text, { status, headers });
  }

  async #serveBundle(req: Request, url: URL): Promise<Response> {
    const build = this.#build;
    const rest = url.pathname.slice("/_fresh/js/".length);
    const [id, ...fileParts] = rest.split("/");
    const file = fileParts.join("/");
    if (!build || id !== build.buildId || !/^[\w.-]+\.js$/.test(file)) {
      return new Response("Not Found", { status: 404 });
    }
    try {
      const body = await Deno.readFile(`${build.outDir}/${file}`);
      return new Response(req.method === "HEAD" ? null : body, {
        headers: {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": HASHED_JS_CACHE,
          "x-content-type-options": "nosniff",
        },
      });
    } catch {
      return new Response("Not Found", { status: 404 });
    }
  }
}

function middlewaresOf<State>(mod: RouteModule | undefined): Middleware<State>[] {
  if (!mod) return [];
  const m = (mod.default ?? mod.handler) as unknown;
  if (Array.isArray(m)) return m as Middleware<State>[];
  if (typeof m === "function") return [m as Middleware<State>];
  return [];
}

/** Island name from its manifest key: `./islands/Foo.tsx` → `Foo`. */
export function islandName(file: string): string {
  return file.replace(/^.*\//, "").replace(/\.(tsx|ts|jsx|js)$/, "").replace(/[^\w]/g, "_");
}

function redirect(to: string, status: number): Response {
  // Only paths on this site or absolute http(s) URLs; "//evil" is made relative.
  const safe = to.startsWith("/") && !to.startsWith("//") ? to : /^https?:\/\//.test(to) ? to : "/";
  return new Response(null, { status, headers: { location: safe } });
}
