/**
 * A subset of Fresh 2's API (https://fresh.deno.dev/docs), implemented here
 * because JSR (where `@fresh/core` lives) is unreachable from our machines.
 * App code imports it as `fresh`; moving to real Fresh = pointing the import map
 * entry `fresh` at `jsr:@fresh/core@^2` and deleting this folder.
 *
 * Supported: `new App<State>()`, `app.use()`, `app.get/post/put/delete/all()`,
 * `app.fsRoutes(manifest)` (Fresh file naming: `index`, `[id]`, `[...rest]`,
 * `[[opt]]`, `(group)`, `_app`, `_layout`, `_middleware`, `_404`, `_error`
 * (`_500`): per-directory error boundaries that render with `ctx.error`),
 * `app.handler()`, `app.listen()`, `staticFiles()`, `createDefine<State>()`,
 * `page()`, `HttpError`, `IS_BROWSER`, `asset()`, islands with devalue props and
 * per-island code-split bundles. Not supported: partials, async page
 * components, island children (JSX slots), route `config.csp`.
 */
export { App, type AppOptions, islandName, type Manifest } from "./app.ts";
export {
  type Context,
  createDefine,
  type HandlerByMethod,
  type HandlerFn,
  HttpError,
  type Middleware,
  page,
  type PageProps,
  type PageResponse,
  type RouteHandler,
} from "./context.ts";
export { staticFiles } from "./static.ts";
export { asset, IS_BROWSER } from "./runtime.ts";
export { buildBundles, type BuildInfo, loadBuild, writeManifest } from "./build.ts";
export { pathToPattern } from "./router.ts";
