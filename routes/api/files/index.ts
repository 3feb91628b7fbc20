import { define } from "@/lib/define.ts";
import { requireUser } from "@/lib/auth/guard.ts";
import { enforceUploadLimit, fileKindSchema, readUpload, saveFile, storedFileSchema } from "@/lib/files/store.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { AUTH, defineOpenApi, tooManyRequests } from "@/lib/openapi/operation.ts";

const query = z.object({ kind: fileKindSchema });

/**
 * `POST /api/files?kind=article_cover` with the raw file as the body (any
 * `Content-Type`; the type is decided by the content) — stores an upload.
 * → 201 `{ file: StoredFile, url }`. Kind `article_cover`: admins only, PNG/JPEG/WebP,
 * ≤ 2 MiB (413 past it, cut off while streaming), ≤ 4000 px a side. At most 20 uploads an
 * hour per user, every kind together (429 with Retry-After, checked before the body is read).
 */
export const handler = define.handlers({
  async POST(ctx) {
    const user = requireUser(ctx);
    const { kind } = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    await enforceUploadLimit(user);
    const file = await saveFile(await readUpload(ctx.req, kind), kind, user);
    return Response.json({ file, url: `/files/${file.id}` }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  post: {
    tags: ["files"],
    summary: "Upload a file (article covers: admins; raw bytes as the body, type decided by magic bytes)",
    security: AUTH,
    query,
    responses: {
      201: {
        description: "Stored (or the same public content already stored)",
        schema: z.object({ file: storedFileSchema, url: z.string().describe("Where the file is served") }),
      },
      400: "`validation_failed` (file: empty, type not allowed, dimensions; kind)",
      401: "Not signed in",
      403: "Role may not upload this kind",
      413: "`payload_too_large` (more than the kind's limit)",
      429: tooManyRequests("`rate_limited`: more than 20 uploads an hour by this user; see `Retry-After` (seconds)"),
    },
  },
});
