import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { NotFound } from "@/lib/errors.ts";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import { readBody } from "@/lib/validation.ts";
import { deleteArticle, getArticleBySlug } from "@/lib/articles/store.ts";
import { formValuesOf, submitArticleForm } from "@/lib/articles/form.ts";
import { ConfirmStep, type FieldErrors, FormAlert, PageHeader } from "@/components/ui.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import { ArticleForm } from "@/components/ArticleForm.tsx";

/**
 * `/admin/articles/{slug}` — edit an article (admin). Deleting asks first
 * (`?confirm=delete` shows a ConfirmStep, docs/ui.md "Destructive actions"),
 * then posts `action=delete&confirm=1`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "articles");
    const a = await getArticleBySlug(ctx.params.slug);
    if (!a) throw new NotFound("article_not_found", "articles.not_found");
    ctx.state.title = ctx.state.t("articles.admin.edit");
    return page({
      slug: a.slug,
      title: a.title,
      published: a.status === "published" && Date.parse(a.publishAt) <= Date.now(),
      values: formValuesOf(a),
      errors: {} as FieldErrors,
      message: null as Msg | null,
      saved: ctx.url.searchParams.get("done") === "saved",
      confirm: ctx.url.searchParams.get("confirm") === "delete",
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    addSheets(ctx.state, "articles");
    ctx.state.title = ctx.state.t("articles.admin.edit");
    const slug = ctx.params.slug;
    const a = await getArticleBySlug(slug);
    if (!a) throw new NotFound("article_not_found", "articles.not_found");
    const type = ctx.req.headers.get("content-type") ?? "";
    if (type.includes("application/x-www-form-urlencoded")) {
      // The confirm step's form (delete); the edit form is multipart.
      const body = await readBody(ctx.req);
      if (body.action === "delete" && body.confirm === "1") {
        await deleteArticle(slug, admin);
        return seeOther("/admin/articles?done=deleted");
      }
      return seeOther(`/admin/articles/${slug}?confirm=delete`);
    }
    const r = await submitArticleForm(ctx.req, admin, slug);
    if ("article" in r) return seeOther(`/admin/articles/${r.article.slug}?done=saved`);
    const f = formFailure(r.error);
    return page({
      slug,
      title: a.title,
      published: a.status === "published" && Date.parse(a.publishAt) <= Date.now(),
      values: r.values,
      errors: f.errors,
      message: f.message,
      saved: false,
      confirm: false,
    }, { status: f.status, headers: f.headers });
  },
});

export default define.page<typeof handler>(function EditArticle({ data, state }) {
  const t = state.t;
  const self = `/admin/articles/${data.slug}`;
  return (
    <>
      <PageHeader title={t("articles.admin.edit")} subtitle={data.title}>
        {data.published
          ? <a class="btn btn-secondary" href={`/articles/${data.slug}`}>{t("articles.admin.view")}</a>
          : null}
        <a class="btn btn-secondary" href="/admin/articles">{t("common.back")}</a>
      </PageHeader>
      <FormAlert kind="success" message={data.saved ? t("articles.saved") : null} />
      <MsgAlert msg={data.message} t={t} />
      {data.confirm
        ? (
          <ConfirmStep
            title={t("articles.delete_title")}
            body={t("articles.delete_body", { title: data.title })}
            submitLabel={t("articles.delete")}
            backHref={self}
            backLabel={t("common.cancel")}
            action={self}
            fields={{ action: "delete" }}
          />
        )
        : null}
      <ArticleForm action={self} values={data.values} errors={data.errors} t={t} submitLabel={t("common.save")} />
      <p class="article-delete">
        <a class="btn btn-danger-outline" href={`${self}?confirm=delete#confirm`}>{t("articles.delete")}</a>
      </p>
    </>
  );
});
