/**
 * The shared file store: uploads kept in Deno KV (key layout in `keys.ts`).
 *
 * - The type is decided by the file's magic bytes (`file-type`), never by its
 *   name or the client's `Content-Type`; each kind allows a few types
 *   (OWASP File Upload Cheat Sheet: "validate the file type, don't trust the
 *   Content-Type header"; ASVS 12.1).
 * - The size limit of the kind is enforced while the body streams in
 *   (`readUpload` → `readBodyBytes`: a bigger body is cut off with 413 without
 *   being read to the end).
 * - Images are limited, not resized: their dimensions are read from the header
 *   (`image-size`) and more than `maxDimension` px on either side is refused.
 * - Every file has an `access`: `public` (anyone may fetch it; article covers) or
 *   `private` (only its owner and admins; for later kinds such as attachments).
 * - Content is addressed by its SHA-256: a public file's bytes never change for
 *   its id, so it is served with immutable caching, and the same public content
 *   uploaded twice gives the same file.
 */
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import type { Role, User } from "@/lib/auth/users.ts";
import { idTime, newId } from "@/lib/db/ids.ts";
import { getKv } from "@/lib/db/kv.ts";
import { Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { instant, readBodyBytes, ulid, z } from "@/lib/validation.ts";
import { audit } from "@/lib/audit.ts";
import { enforce } from "@/lib/ratelimit.ts";
import { sha256 as sha256Hex } from "hash-wasm";
import * as K from "./keys.ts";
import { looksLikeSvg, sanitizeSvg } from "./svg.ts";

/** Bytes per stored chunk (Deno KV values are limited to 64 KiB). */
export const CHUNK_BYTES = 60 * 1024;
/** Chunks per atomic commit (10 × 60 KiB = 600 KiB, under KV's 800 KiB per commit). */
const CHUNKS_PER_COMMIT = 10;

/** Types the store can recognise. */
export const fileTypeSchema = z.enum(["image/png", "image/jpeg", "image/webp", "image/svg+xml", "application/pdf"]);
/** A recognised type. */
export type FileType = z.infer<typeof fileTypeSchema>;
/** Who may fetch a file. */
export const fileAccessSchema = z.enum(["public", "private"]);
/** Kinds of stored file. */
export const fileKindSchema = z.enum(["article_cover", "psychologist_photo", "certificate", "screening_stimulus"]);
/** A kind of stored file. */
export type FileKind = z.infer<typeof fileKindSchema>;

/** What each kind of file may be. */
export interface FilePolicy {
  /** Allowed types (decided by magic bytes). */
  types: readonly FileType[];
  /** Largest file in bytes. */
  maxBytes: number;
  /** Largest width and height in pixels (images). */
  maxDimension: number;
  access: z.infer<typeof fileAccessSchema>;
  /** Roles that may upload this kind. */
  uploaders: readonly Role[];
  /**
   * Private files only: who besides admins may read one. `owner` = the uploader;
   * `admins` = admins alone (certificates: the applicant uploaded them, but only the
   * admins who verify need them back).
   */
  readers?: "owner" | "admins";
  /** True when an anonymous caller may store this kind through `saveFile(…, null, {ownerId})` (applications). */
  anonymousUpload?: boolean;
}

/**
 * Policy per kind (docs/domain-rules.md "Files"). Article covers: PNG/JPEG/WebP, ≤ 2 MiB,
 * ≤ 4000 px a side, public, uploaded by admins. Psychologist photos: PNG/JPEG/WebP,
 * ≤ 2 MiB, ≤ 2000 px, public, uploaded by the psychologist or an admin. Certificates:
 * PDF/PNG/JPEG, ≤ 5 MiB, private and read by admins only, uploaded with an
 * application (anonymous) or by an admin. Screening stimuli: PNG/JPEG/SVG, ≤ 2 MiB, ≤ 4000 px,
 * public (every client's run shows them), uploaded by admins (lib/screening/stimuli.ts); an SVG has no
 * magic bytes, so it is recognised as SVG text and stored only as rebuilt by `./svg.ts`'s allow-list.
 */
export const FILE_POLICIES: Readonly<Record<FileKind, FilePolicy>> = {
  article_cover: {
    types: ["image/png", "image/jpeg", "image/webp"],
    maxBytes: 2 * 1024 * 1024,
    maxDimension: 4000,
    access: "public",
    uploaders: ["admin"],
  },
  psychologist_photo: {
    types: ["image/png", "image/jpeg", "image/webp"],
    maxBytes: 2 * 1024 * 1024,
    maxDimension: 2000,
    access: "public",
    uploaders: ["psychologist", "admin"],
  },
  certificate: {
    types: ["application/pdf", "image/png", "image/jpeg"],
    maxBytes: 5 * 1024 * 1024,
    maxDimension: 10_000,
    access: "private",
    uploaders: ["admin"],
    readers: "admins",
    anonymousUpload: true,
  },
  screening_stimulus: {
    types: ["image/png", "image/jpeg", "image/svg+xml"],
    maxBytes: 2 * 1024 * 1024,
    maxDimension: 4000,
    access: "public",
    uploaders: ["admin"],
  },
};

/** Metadata of a stored file (OpenAPI component `StoredFile`). */
export const storedFileSchema = z.object({
  schemaVersion: z.literal(1),
  id: ulid,
  kind: fileKindSchema,
  access: fileAccessSchema,
  type: fileTypeSchema,
  size: z.int().min(1).describe("Bytes"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of the content, hex"),
  chunks: z.int().min(1),
  width: z.int().nullable(),
  height: z.int().nullable(),
  ownerId: ulid,
  createdAt: instant,
});
/** A stored file's metadata. */
export type StoredFile = z.infer<typeof storedFileSchema>;

/** File name extension of each type (for `Content-Disposition`). */
const EXT: Record<FileType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/svg+xml": "svg",
  "application/pdf": "pdf",
};

/**
 * Counts one upload of `user` against the `file_upload` limit (20 an hour, every kind
 * together; lib/ratelimit.ts). Call it at the edge BEFORE reading the body.
 * @throws TooManyRequests (429 with Retry-After) past the limit
 */
export async function enforceUploadLimit(user: Pick<User, "id">): Promise<void> {
  await enforce("file_upload", user.id);
}

/**
 * Reads an upload body for `kind`, at most its `maxBytes` (cut off while streaming).
 * @throws PayloadTooLarge (413) past the limit; BodyAborted (400) when the client stops sending
 */
export function readUpload(req: Request, kind: FileKind): Promise<Uint8Array> {
  return readBodyBytes(req, FILE_POLICIES[kind].maxBytes);
}

/**
 * Checks `bytes` against the policy of `kind`: type by magic bytes, size, and
 * image dimensions. Returns the type and dimensions.
 * @throws ValidationError on field `file`: `files.empty`, `files.type_not_allowed`,
 *   `files.too_big` ({max} MB), `files.dimensions` ({max} px)
 */
export async function inspectFile(
  bytes: Uint8Array,
  kind: FileKind,
): Promise<{ type: FileType; width: number | null; height: number | null; bytes: Uint8Array }> {
  const policy = FILE_POLICIES[kind];
  if (bytes.byteLength === 0) throw new ValidationError({ file: "files.empty" });
  if (bytes.byteLength > policy.maxBytes) {
    throw new ValidationError({ file: "files.too_big" }, "error.validation", "validation_failed", {
      file: { max: Math.round(policy.maxBytes / 1024 / 1024) },
    });
  }
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  // file-type names no SVG: it finds nothing, or "application/xml" for a file opening with `<?xml`.
  const text = !found || found.mime === "application/xml";
  if (text && policy.types.includes("image/svg+xml") && looksLikeSvg(bytes)) {
    const clean = sanitizeSvg(bytes);
    return { type: "image/svg+xml", ...imageDimensions(clean, policy), bytes: clean };
  }
  const type = fileTypeSchema.safeParse(found?.mime);
  if (!type.success || !policy.types.includes(type.data)) {
    throw new ValidationError({ file: "files.type_not_allowed" });
  }
  if (type.data === "application/pdf") return { type: type.data, width: null, height: null, bytes };
  return { type: type.data, ...imageDimensions(bytes, policy), bytes };
}

/** Width and height of an image (an SVG's from its width/height or viewBox), checked against the policy. */
function imageDimensions(bytes: Uint8Array, policy: FilePolicy): { width: number; height: number } {
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new ValidationError({ file: "files.type_not_allowed" });
  }
  const width = Math.round(size.width ?? 0);
  const height = Math.round(size.height ?? 0);
  if (!width || !height) throw new ValidationError({ file: "files.type_not_allowed" });
  if (width > policy.maxDimension || height > policy.maxDimension) {
    throw new ValidationError({ file: "files.dimensions" }, "error.validation", "validation_failed", {
      file: { max: policy.maxDimension },
    });
  }
  return { width, height };
}

/**
 * Stores `raw` (an SVG: as sanitized by `./svg.ts`) as a file of `kind` uploaded by `actor`. Public content already
 * stored for this kind by the same owner answers the existing file (same SHA-256;
 * never another owner's, so deleting one owner's replaced photo cannot break
 * someone else's). With `actor`
 * null (an anonymous applicant), the kind must allow anonymous uploads and
 * `opts.ownerId` names the account the file will belong to.
 *
 * Chunks are written in batches; the metadata (which makes the file visible) in
 * the last commit, guarded by `check(null)`. If any commit fails or throws, the
 * chunks written so far are deleted before the error is passed on.
 * @throws Forbidden when `actor`'s role may not upload `kind`
 * @throws ValidationError as {@link inspectFile}
 */
export async function saveFile(
  raw: Uint8Array,
  kind: FileKind,
  actor: User | null,
  opts: { ownerId?: string } = {},
): Promise<StoredFile> {
  const policy = FILE_POLICIES[kind];
  if (actor === null) {
    if (!policy.anonymousUpload || !opts.ownerId) throw new Forbidden();
  } else if (!policy.uploaders.includes(actor.role) || actor.status !== "active") throw new Forbidden();
  const ownerId = actor?.id ?? opts.ownerId!;
  const info = await inspectFile(raw, kind);
  const bytes = info.bytes; // an SVG is stored as sanitized, every other type as uploaded
  const sha256 = await sha256Hex(bytes);
  const kv = await getKv();
  if (policy.access === "public") {
    const same = (await kv.get<string>(K.byHashKey(kind, sha256))).value;
    const existing = same ? await getFile(same) : null;
    if (existing && existing.ownerId === ownerId) return existing;
  }
  const id = newId();
  const chunks = Math.ceil(bytes.byteLength / CHUNK_BYTES);
  const file: StoredFile = {
    schemaVersion: 1,
    id,
    kind,
    access: policy.access,
    type: info.type,
    size: bytes.byteLength,
    sha256,
    chunks,
    width: info.width,
    height: info.height,
    ownerId,
    createdAt: new Date().toISOString(),
  };
  try {
    for (let first = 0; first < chunks; first += CHUNKS_PER_COMMIT) {
      const op = kv.atomic();
      for (let n = first; n < Math.min(chunks, first + CHUNKS_PER_COMMIT); n++) {
        op.set(K.chunkKey(id, n), bytes.slice(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES));
      }
      if (first + CHUNKS_PER_COMMIT >= chunks) {
        op.check({ key: K.fileKey(id), versionstamp: null }).set(K.fileKey(id), file);
        if (policy.access === "public") op.set(K.byHashKey(kind, sha256), id);
      }
      if (!(await op.commit()).ok) throw new Error("file store: commit failed");
    }
  } catch (err) {
    await removeChunks(kv, id).catch(() => {});
    throw err;
  }
  await audit(actor?.id ?? "anonymous", "file.upload", `file:${id}`, { kind, size: file.size, type: file.type });
  return file;
}

async function removeChunks(kv: Deno.Kv, id: string): Promise<void> {
  let op = kv.atomic();
  let n = 0;
  for await (const e of kv.list({ prefix: K.chunksPrefix(id) })) {
    op.delete(e.key);
    if (++n % 500 === 0) {
      await op.commit();
      op = kv.atomic();
    }
  }
  await op.commit();
}

/** A file's metadata, or null (unknown or malformed id). */
export async function getFile(id: string): Promise<StoredFile | null> {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return null;
  return (await (await getKv()).get<StoredFile>(K.fileKey(id))).value;
}

/**
 * True when `user` (null = anonymous) may fetch `file`: public files anyone;
 * private ones admins, and the owner unless the kind is read by admins only
 * (certificates).
 */
export function canRead(file: StoredFile, user: Pick<User, "id" | "role"> | null): boolean {
  if (file.access === "public") return true;
  if (!user) return false;
  if (user.role === "admin") return true;
  return FILE_POLICIES[file.kind]?.readers !== "admins" && user.id === file.ownerId;
}

/** The content of `file` as a stream of its chunks, read one at a time. */
export function fileStream(file: StoredFile): ReadableStream<Uint8Array> {
  let n = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (n >= file.chunks) return controller.close();
      const chunk = (await (await getKv()).get<Uint8Array>(K.chunkKey(file.id, n++))).value;
      if (!chunk) return controller.error(new Error(`file ${file.id}: chunk ${n - 1} missing`));
      controller.enqueue(chunk);
    },
  });
}

/** The whole content of `file` (tests, small files). */
export async function readFileBytes(file: StoredFile): Promise<Uint8Array> {
  return new Uint8Array(await new Response(fileStream(file)).arrayBuffer());
}

/**
 * The HTTP answer for `file` (use after {@link canRead}): its type,
 * `X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox`,
 * `Content-Disposition` (inline for public images, attachment otherwise), an ETag of the
 * SHA-256, and `Cache-Control: public, max-age=31536000, immutable` for public
 * files (`private, no-store` otherwise). A matching `If-None-Match` answers 304.
 */
export function fileResponse(file: StoredFile, req: Request): Response {
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "content-type": file.type,
    "x-content-type-options": "nosniff",
    "content-security-policy": file.type === "image/svg+xml"
      ? "default-src 'none'; style-src 'unsafe-inline'; sandbox"
      : "sandbox",
    "content-disposition": `${
      file.type.startsWith("image/") && file.access === "public" ? "inline" : "attachment"
    }; filename="${file.id}.${EXT[file.type]}"`,
    "cache-control": file.access === "public" ? "public, max-age=31536000, immutable" : "private, no-store",
    etag,
  });
  if (req.headers.get("if-none-match")?.split(",").map((s) => s.trim()).includes(etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(file.size));
  return new Response(req.method === "HEAD" ? null : fileStream(file), { headers });
}

/**
 * Deletes a file (metadata, chunks, hash entry).
 * @throws NotFound `file_not_found`
 */
export async function deleteFile(id: string): Promise<void> {
  const file = await getFile(id);
  if (!file) throw new NotFound("file_not_found", "files.not_found");
  const kv = await getKv();
  await kv.atomic().delete(K.fileKey(id)).delete(K.byHashKey(file.kind, file.sha256)).commit();
  await removeChunks(kv, id);
}

/** Age after which chunks without metadata count as left over from an interrupted upload (1 hour). */
export const ORPHAN_AFTER_MS = 60 * 60 * 1000;

/**
 * Deletes chunks whose file has no metadata and whose id (a ULID, so its
 * creation time) is older than `ORPHAN_AFTER_MS` at `now`: what a process that
 * died in the middle of `saveFile` left behind (a failing commit already cleans
 * up after itself). Run by the daily job. Returns how many files' chunks were removed.
 */
export async function sweepOrphanChunks(now: Date = new Date()): Promise<number> {
  const kv = await getKv();
  const ids = new Set<string>();
  for await (const e of kv.list({ prefix: ["file_chunks"] })) ids.add(String(e.key[1]));
  let removed = 0;
  for (const id of ids) {
    let born: number;
    try {
      born = idTime(id);
    } catch {
      born = 0;
    }
    if (now.getTime() - born < ORPHAN_AFTER_MS) continue;
    if ((await kv.get(K.fileKey(id))).versionstamp) continue;
    await removeChunks(kv, id);
    removed++;
  }
  return removed;
}
