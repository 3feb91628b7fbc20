/** `/api/openapi.json` documents every JSON API route, and nothing that does not exist. */
import assert from "node:assert/strict";
import { useKv } from "@/lib/db/kv.ts";
import { buildApp } from "@/main.ts";
import manifest from "@/fresh.gen.ts";
import { pathToPattern } from "fresh";

useKv(await Deno.openKv(":memory:"));

function toOpenApiPath(pattern: string): string {
  return pattern.replace(/:(\w+)\*?/g, "{$1}");
}

Deno.test("every API route file is documented in /api/openapi.json and vice versa", async () => {
  const handler = (await buildApp()).handler();
  const res = await handler(new Request("http://localhost/api/openapi.json"));
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, "3.1.0");
  const documented = new Set(Object.keys(doc.paths));
  const routes = Object.keys(manifest.routes)
    .map((f) => f.replace(/^\.\/routes\//, ""))
    .filter((f) => f.startsWith("api/") && !f.includes("/_"))
    .map((f) => toOpenApiPath(pathToPattern(f)!))
    .filter((p) => p !== "/api/openapi.json");
  const missing = routes.filter((p) => !documented.has(p));
  assert.deepEqual(missing, [], "API routes without OpenAPI documentation");
  const routeSet = new Set(routes);
  const phantom = [...documented].filter((p) => !routeSet.has(p));
  assert.deepEqual(phantom, [], "documented paths without a route");
  for (const sch of ["bearerAuth", "cookieAuth"]) assert.ok(doc.components.securitySchemes[sch]);
});
