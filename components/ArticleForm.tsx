/**
 * The admin article form (new and edit): every field of the article with its
 * inline error, the Markdown body in the `ArticleEditor` island (live,
 * server-sanitised preview), and the cover upload with its alt text.
 */
import type { T } from "@/lib/i18n/mod.ts";
import { config } from "@/lib/config.ts";
import { errorText, Field, type FieldErrors, SelectField, TextAreaField } from "@/components/ui.tsx";
import ArticleEditor, { ARTICLE_EDITOR_KEYS } from "@/islands/ArticleEditor.tsx";
import { MAX_BODY, MAX_EXCERPT, MAX_TITLE } from "@/lib/articles/model.ts";
import { renderMarkdown } from "@/lib/articles/render.ts";

/** Renders the form posting to `action` (multipart, so the cover can be uploaded). */
export function ArticleForm(
  { action, values, errors, t, submitLabel }: {
    action: string;
    values: Record<string, string>;
    errors: FieldErrors;
    t: T;
    submitLabel: string;
  },
) {
  const strings = Object.fromEntries(Object.entries(ARTICLE_EDITOR_KEYS).map(([k, key]) => [k, t(key)]));
  const bodyErr = errors.body;
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="stack article-form" novalidate>
      <Field
        name="title"
        label={t("articles.field.title")}
        t={t}
        errors={errors}
        value={values.title}
        maxLength={MAX_TITLE}
        required
      />
      <Field
        name="slug"
        label={t("articles.field.slug")}
        hint={t("articles.field.slug_hint")}
        t={t}
        errors={errors}
        value={values.slug}
      />
      <div class="grid-2">
        <SelectField
          name="lang"
          label={t("articles.field.lang")}
          t={t}
          errors={errors}
          value={values.lang || "id"}
          required
          options={[["id", t("articles.lang.id")], ["en", t("articles.lang.en")]]}
        />
        <Field name="author" label={t("articles.field.author")} t={t} errors={errors} value={values.author} />
      </div>
      <ArticleEditor
        value={values.body ?? ""}
        initialHtml={values.body ? renderMarkdown(values.body) : ""}
        strings={strings}
        error={bodyErr ? errorText(t, bodyErr) : null}
        maxLength={MAX_BODY}
      />
      <TextAreaField
        name="excerpt"
        label={t("articles.field.excerpt")}
        hint={t("articles.field.excerpt_hint")}
        t={t}
        errors={errors}
        value={values.excerpt}
        rows={3}
        maxLength={MAX_EXCERPT}
      />
      <Field
        name="tags"
        label={t("articles.field.tags")}
        hint={t("articles.field.tags_hint")}
        t={t}
        errors={errors}
        value={values.tags}
      />
      <div class="grid-2">
        <SelectField
          name="status"
          label={t("articles.field.status")}
          t={t}
          errors={errors}
          value={values.status || "draft"}
          required
          options={[["draft", t("articles.status.draft")], ["published", t("articles.status.published")]]}
        />
        <Field
          name="publishAt"
          type="datetime-local"
          label={t("articles.field.publish_at")}
          hint={t("articles.field.publish_at_hint", { zone: config.timeZone })}
          t={t}
          errors={errors}
          value={values.publishAt}
        />
      </div>
      <fieldset class="article-cover-field">
        <legend>{t("articles.field.cover")}</legend>
        {values.coverFileId
          ? (
            <div class="article-cover-current">
              <img src={`/files/${values.coverFileId}`} alt={values.coverAlt} width={240} height={126} />
              <input type="hidden" name="coverFileId" value={values.coverFileId} />
              <label class="article-cover-remove">
                <input type="checkbox" name="removeCover" value="1" /> {t("articles.field.cover_remove")}
              </label>
            </div>
          )
          : null}
        <div class={`field${errors.file || errors.coverFileId ? " has-error" : ""}`}>
          <label for="f-cover">{t("articles.field.cover")}</label>
          <input
            id="f-cover"
            name="cover"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-describedby="hint-cover"
          />
          <p class="hint" id="hint-cover">{t("articles.field.cover_hint")}</p>
          {errors.file ? <p class="field-error">{errorText(t, errors.file)}</p> : null}
          {errors.coverFileId ? <p class="field-error">{errorText(t, errors.coverFileId)}</p> : null}
        </div>
        <Field
          name="coverAlt"
          label={t("articles.field.cover_alt")}
          hint={t("articles.field.cover_alt_hint")}
          t={t}
          errors={errors}
          value={values.coverAlt}
          maxLength={200}
        />
      </fieldset>
      <button type="submit" class="btn btn-lg">{submitLabel}</button>
    </form>
  );
}
