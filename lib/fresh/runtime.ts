/**
 * Browser-safe helpers of the Fresh 2 API subset (`fresh/runtime`).
 */

/** True when running in the browser (islands), false during server rendering. */
export const IS_BROWSER: boolean = typeof document !== "undefined";

let buildId = "dev";
/** Sets the build id used by `asset()` (called by the server at start). */
export function setAssetBuildId(id: string): void {
  buildId = id;
}

/**
 * Adds a cache-busting query (`?__frsh_c=BUILD_ID`) to a path under `static/`,
 * as Fresh's `asset()` does; such URLs are served with immutable caching.
 * External URLs and paths that already carry a query are returned unchanged.
 */
export function asset(path: string): string {
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("?")) return path;
  return `${path}?__frsh_c=${buildId}`;
}
