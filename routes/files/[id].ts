import { define } from "@/lib/define.ts";
import { NotFound } from "@/lib/errors.ts";
import { canRead, fileResponse, getFile } from "@/lib/files/store.ts";

/**
 * `GET /files/{id}` — a stored file (article covers are public). Sent with its
 * sniffed type, `nosniff`, `Content-Security-Policy: sandbox`,
 * `Content-Disposition`, and immutable caching for public files
 * (`lib/files/store.ts` `fileResponse`). A file the caller may not read is a 404.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const file = await getFile(ctx.params.id);
    if (!file || !canRead(file, ctx.state.user ?? null)) throw new NotFound("file_not_found", "files.not_found");
    return fileResponse(file, ctx.req);
  },
});
