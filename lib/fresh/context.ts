/**
 * Request context, handler and page types of the Fresh 2 API subset.
 * Shapes follow Fresh 2 (`ctx.req`, `ctx.url`, `ctx.params`, `ctx.state`,
 * `ctx.next()`, `ctx.render()`, `ctx.redirect()`, `page(data)`).
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";

/** Connection info passed by `Deno.serve` (remote address). */
export type ServeInfo = Deno.ServeHandlerInfo<Deno.NetAddr> | undefined;

/** The per-request context handed to middlewares and handlers. */
export interface Context<State> {
  readonly req: Request;
  readonly url: URL;
  /** Route parameters from the file name (`[id]` → `params.id`). */
  params: Record<string, string>;
  /** Per-request state shared down the middleware chain. */
  state: State;
  /** Connection info (remote address); undefined in `app.handler()` calls without it. */
  readonly info: ServeInfo;
  /** The matched route pattern (e.g. `/users/:id`), or null when nothing matched. */
  route: string | null;
  /** The error being rendered (set by an error boundary for `_404` / `_error` pages). */
  error: unknown;
  /** Calls the next middleware or the route handler. */
  next(): Promise<Response>;
  /**
   * Renders a page element inside the `_app` and `_layout` wrappers of the
   * matched route. Without `vnode`, renders the route's page component with
   * `data = undefined`.
   */
  render(vnode?: VNode<any> | null, init?: ResponseInit): Promise<Response>;
  /** A redirect response (default 302). Only same-site paths or absolute URLs. */
  redirect(to: string, status?: number): Response;
}

/** The marker returned by `page()` from a handler: render the page with `data`. */
export interface PageResponse<Data> {
  readonly __page: true;
  data: Data;
  status?: number;
  headers?: HeadersInit;
}

/**
 * Tells the router to render the route's page component with `data`
 * (Fresh 2 `page()`); `init` sets status and headers of the HTML response.
 */
export function page<Data = undefined>(
  data?: Data,
  init?: { status?: number; headers?: HeadersInit },
): PageResponse<Data> {
  return { __page: true, data: data as Data, status: init?.status, headers: init?.headers };
}

/** True when `x` came from `page()`. */
export function isPageResponse(x: unknown): x is PageResponse<unknown> {
  return typeof x === "object" && x !== null && (x as { __page?: unknown }).__page === true;
}

export type Method = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
export const METHODS: readonly Method[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** One handler function. */
export type HandlerFn<Data, State> = (
  ctx: Context<State>,
) => Response | PageResponse<Data> | Promise<Response | PageResponse<Data>>;
/** Handlers per HTTP method. */
export type HandlerByMethod<Data, State> = { [M in Method]?: HandlerFn<Data, State> };
/** A route's `handler` export: one function for all methods, or one per method. */
export type RouteHandler<Data, State> = HandlerFn<Data, State> | HandlerByMethod<Data, State>;

type DataOf<R> = R extends PageResponse<infer D> ? D : never;
/** The `data` type a route's handler passes to its page. */
export type HandlerData<H> = H extends (...a: any[]) => infer R ? DataOf<Awaited<R>>
  : H extends Record<string, unknown>
    ? { [K in keyof H]: H[K] extends (...a: any[]) => infer R ? DataOf<Awaited<R>> : never }[keyof H]
  : undefined;

/** Props of a page component. */
export interface PageProps<Data, State> {
  data: Data;
  state: State;
  url: URL;
  params: Record<string, string>;
  route: string | null;
  error?: unknown;
  /** For `_app` and `_layout`: the wrapped inner component. */
  Component: ComponentType<Record<string, never>>;
}

/** A middleware (Fresh 2): return a Response, usually `ctx.next()`'s. */
export type Middleware<State> = (ctx: Context<State>) => Response | Promise<Response>;

/** A route module as listed in the manifest. */
export interface RouteModule {
  handler?: RouteHandler<any, any> | Middleware<any> | Middleware<any>[];
  default?: ComponentType<any> | ((props: any) => ComponentChildren);
  config?: { routeOverride?: string; skipAppWrapper?: boolean; skipInheritedLayouts?: boolean };
}

/**
 * An error with an HTTP status (Fresh 2 `HttpError`): thrown, a 404 renders
 * `_404` (else `_error`), any other status the nearest `_error`, with that
 * status; other errors render `_error` with 500.
 */
export class HttpError extends Error {
  readonly status: number;
  /** Headers the error response must carry (e.g. `Allow` on 405). */
  readonly headers: Headers;
  constructor(status: number, message?: string, headers?: HeadersInit) {
    super(message ?? `HTTP ${status}`);
    this.status = status;
    this.headers = new Headers(headers);
  }
}

/** Typed helpers bound to the app's State type (Fresh 2 `createDefine<State>()`). */
export function createDefine<State>() {
  return {
    /** Declares a route's handlers; `ctx` is typed with `State`. */
    handlers<H extends RouteHandler<any, State>>(handlers: H): H {
      return handlers;
    },
    /** Declares a page component; `typeof handler` types `props.data`. */
    page<H = undefined>(
      render: (props: PageProps<H extends undefined ? undefined : HandlerData<H>, State>) => ComponentChildren,
    ): (props: PageProps<H extends undefined ? undefined : HandlerData<H>, State>) => ComponentChildren {
      return render;
    },
    /** Declares a middleware (or a list of them). */
    middleware<M extends Middleware<State> | Middleware<State>[]>(m: M): M {
      return m;
    },
    /** Declares a layout (`_layout.tsx`) or the app wrapper (`_app.tsx`). */
    layout(render: (props: PageProps<unknown, State>) => ComponentChildren) {
      return render;
    },
  };
}
