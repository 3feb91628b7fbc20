/**
 * The admin article form (`/admin/articles/new`, `/admin/articles/{slug}`):
 * a multipart form whose fields are the API's article input, with
 * `publishAt` as a `datetime-local` in `TIME_ZONE`, the cover as a file part
 * (`cover`, stored through the file store) or the id of the cover already
 * chosen (`coverFileId`), and `removeCover`.
 */
import type { User } from "@/lib/auth/users.ts";
import { Conflict, TooManyRequests, ValidationError } from "@/lib/errors.ts";
import { readFormData } from "@/lib/validation.ts";
import { enforceUploadLimit, FILE_POLICIES, saveFile } from "@/lib/files/store.ts";
import { createArticle, updateArticle } from "./store.ts";
import type { Article } from "./model.ts";
import { instantToLocal, localToInstant } from "./http.ts";

/** Text fields of the form, in order. */
export const FORM_FIELDS = [
  "title",
  "slug",
  "lang",
  "author",
  "body",
  "excerpt",
  "tags",
  "status",
  "publishAt",
  "coverFileId",
  "coverAlt",
] as const;

/** Largest form body: a cover at its limit plus 64 KiB for the text fields and multipart framing. */
export const MAX_FORM_BYTES = FILE_POLICIES.article_cover.maxBytes + 64 * 1024;

/** The form values of an existing article (for the edit page). */
export function formValuesOf(a: Article): Record<string, string> {
  return {
    title: a.title,
    slug: a.slug,
    lang: a.lang,
    author: a.author,
    body: a.bodySource,
    excerpt: a.excerpt,
    tags: a.tags.join(", "),
    status: a.status,
    publishAt: instantToLocal(a.publishAt),
    coverFileId: a.coverFileId ?? "",
    coverAlt: a.coverAlt,
  };
}

/**
 * Reads the form of `req` and creates (`slug` null) or updates the article.
 * Returns the saved article, or the submitted values with the error to show
 * (a slug in use becomes a field error on `slug`). A cover uploaded with a
 * form that fails is kept and its id returned in the values, so it need not
 * be sent again. A cover counts against the per-user upload limit
 * (`file_upload`, 20 an hour, shared with every other upload; docs/domain-rules.md
 * "Files"): past it the form answers 429 with its values and nothing is stored.
 * @throws PayloadTooLarge (413, more than {@link MAX_FORM_BYTES}) or BodyAborted from reading
 *   the body; Forbidden for non-admins
 */
export async function submitArticleForm(
  req: Request,
  user: User,
  slug: string | null,
): Promise<{ article: Article } | { values: Record<string, string>; error: unknown }> {
  const form = await readFormData(req, MAX_FORM_BYTES);
  const values: Record<string, string> = {};
  for (const k of FORM_FIELDS) {
    const v = form.get(k);
    values[k] = typeof v === "string" ? v : "";
  }
  try {
    const cover = form.get("cover");
    if (cover instanceof File && cover.size > 0) {
      await enforceUploadLimit(user);
      const file = await saveFile(new Uint8Array(await cover.arrayBuffer()), "article_cover", user);
      values.coverFileId = file.id;
    } else if (form.get("removeCover") === "1") {
      values.coverFileId = "";
    }
    const input = { ...values, publishAt: localToInstant(values.publishAt) };
    const article = slug === null ? await createArticle(input, user) : await updateArticle(slug, input, user);
    return { article };
  } catch (err) {
    if (err instanceof Conflict && err.code === "slug_taken") {
      return { values, error: new ValidationError({ slug: "articles.slug_taken" }) };
    }
    if (err instanceof ValidationError || err instanceof Conflict || err instanceof TooManyRequests) {
      return { values, error: err };
    }
    throw err;
  }
}
