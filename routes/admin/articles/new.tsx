import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import { submitArticleForm } from "@/lib/articles/form.ts";
import type { FieldErrors } from "@/components/ui.tsx";
import { PageHeader } from "@/components/ui.tsx";
import { MsgAlert } from "@/components/auth/views.tsx";
import { ArticleForm } from "@/components/ArticleForm.tsx";

/** `/admin/articles/new` — write an article (admin); saving goes to its edit page. */
export const handler = define.handlers({
  GET(ctx) {
    const admin = requireRole(ctx, "admin");
    addSheets(ctx.state, "articles");
    ctx.state.title = ctx.state.t("articles.admin.new");
    return page({
      values: { lang: ctx.state.lang, status: "draft", author: admin.name } as Record<string, string>,
      errors: {} as FieldErrors,
      message: null as Msg | null,
    });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    addSheets(ctx.state, "articles");
    ctx.state.title = ctx.state.t("articles.admin.new");
    const r = await submitArticleForm(ctx.req, admin, null);
    if ("article" in r) return seeOther(`/admin/articles/${r.article.slug}?done=saved`);
    const f = formFailure(r.error);
    return page({ values: r.values, errors: f.errors, message: f.message }, { status: f.status, headers: f.headers });
  },
});

export default define.page<typeof handler>(function NewArticle({ data, state }) {
  const t = state.t;
  return (
    <>
      <PageHeader title={t("articles.admin.new")}>
        <a class="btn btn-secondary" href="/admin/articles">{t("common.back")}</a>
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      <ArticleForm
        action="/admin/articles/new"
        values={data.values}
        errors={data.errors}
        t={t}
        submitLabel={t("common.save")}
      />
    </>
  );
});
