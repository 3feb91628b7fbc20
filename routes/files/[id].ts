import { define } from "@/lib/define.ts";
import { NotFound } from "@/lib/errors.ts";
import { canRead, fileResponse, getFile } from "@/lib/files/store.ts";
import { audit } from "@/lib/audit.ts";

/**
 * `GET /files/{id}` — a stored file (article covers are public). Sent with its
 * sniffed type, `nosniff`, `Content-Security-Policy: sandbox`,
 * `Content-Disposition`, and immutable caching for public files
 * (`lib/files/store.ts` `fileResponse`). A file the caller may not read is a 404. An
 * admin's read of someone else's private file (a certificate) is written to the audit log.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const file = await getFile(ctx.params.id);
    const user = ctx.state.user ?? null;
    if (!file || !canRead(file, user)) throw new NotFound("file_not_found", "files.not_found");
    if (file.access === "private" && user && user.id !== file.ownerId) {
      await audit(user.id, "file.read", `file:${file.id}`, { kind: file.kind, ownerId: file.ownerId });
    }
    return fileResponse(file, ctx.req);
  },
});
