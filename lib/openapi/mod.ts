/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`: the fragments each
 * capability exports (`{ tags, paths, components: { schemas } }`) merged into
 * one, with the shared security schemes and error shape.
 * Spec: https://spec.openapis.org/oas/v3.1.0
 */
import { authOpenApi } from "./auth.ts";
import { guestbookOpenApi } from "./guestbook.ts";
import { VERSION } from "@/lib/version.ts";
import { ERROR_SCHEMA } from "./error.ts";

interface Fragment {
  tags?: { name: string; description?: string }[];
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

/** Every fragment, in document order. Later capabilities add theirs here. */
export const FRAGMENTS: Fragment[] = [authOpenApi, guestbookOpenApi];

/** Optional fragments (loaded when the capability exists). */
async function optionalFragments(): Promise<Fragment[]> {
  const out: Fragment[] = [];
  try {
    const m = await import("./notify.ts");
    out.push((m.default ?? m.notifyOpenApi) as Fragment);
  } catch { /* not present */ }
  return out;
}

let cached: Record<string, unknown> | null = null;

/**
 * Builds the merged document. Paths or schemas defined twice with different
 * content are an error (caught by the OpenAPI test).
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  if (cached) return cached;
  const tags: Fragment["tags"] = [];
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  for (const f of [...FRAGMENTS, ...await optionalFragments()]) {
    tags.push(...(f.tags ?? []));
    for (const [p, item] of Object.entries(f.paths)) {
      if (p in paths && JSON.stringify(paths[p]) !== JSON.stringify(item)) {
        paths[p] = { ...(paths[p] as object), ...(item as object) };
      } else paths[p] = item;
    }
    for (const [name, schema] of Object.entries(f.components?.schemas ?? {})) {
      if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema)) {
        throw new Error(`OpenAPI schema ${name} defined twice with different content`);
      }
      schemas[name] = schema;
    }
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "RuangPulih API",
      version: VERSION,
      description:
        "JSON API for non-browser clients. Authenticate with `POST /api/auth/login` and send `Authorization: Bearer <token>`. Errors are `{error: {code, message, fields?}}`.",
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "token from POST /api/auth/login (12 h)" },
        cookieAuth: { type: "apiKey", in: "cookie", name: "__Host-session", description: "browser session" },
      },
    },
  };
  return cached;
}
