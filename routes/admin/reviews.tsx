import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { config } from "@/lib/config.ts";
import { AppError, ValidationError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { formatDateTime } from "@/lib/i18n/format.ts";
import { addSheets } from "@/lib/state.ts";
import { adminReviewsPage, moderateFromInput } from "@/lib/reviews/http.ts";
import { MAX_HIDE_REASON_CHARS, publicReview } from "@/lib/reviews/model.ts";
import {
  Badge,
  Card,
  Empty,
  errorText,
  type FieldErrors,
  FormAlert,
  PageHeader,
  Pagination,
} from "@/components/ui.tsx";
import { ReviewItem } from "@/components/reviews/ui.tsx";

/**
 * `/admin/reviews` — every session review, newest first (`?show=all|visible|hidden`, cursor pages of 20), each
 * with a form to hide it (a reason is required) or show it again. Hiding takes it off the profile and out of the
 * psychologist's average; both are audited (docs/domain-rules.md "Reviews"). Admins only; works without JS.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "admin");
    addSheets(ctx.state, "reviews", "stars");
    ctx.state.title = ctx.state.t("review.admin.title");
    const list = await adminReviewsPage(Object.fromEntries(ctx.url.searchParams));
    return page({
      list,
      done: ctx.url.searchParams.get("done"),
      error: null as string | null,
      failed: null as { bookingId: string; errors: FieldErrors } | null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "admin");
    addSheets(ctx.state, "reviews", "stars");
    ctx.state.title = ctx.state.t("review.admin.title");
    const body = await readBody(ctx.req);
    const back = new URLSearchParams();
    const show = typeof body.show === "string" && ["visible", "hidden"].includes(body.show) ? body.show : null;
    if (show) back.set("show", show);
    try {
      const r = await moderateFromInput(user, body);
      back.set("done", r.hidden ? "hidden" : "unhidden");
      return ctx.redirect(`/admin/reviews?${back}#review-${r.bookingId}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 403) throw err;
      const list = await adminReviewsPage(show ? { show } : {});
      const bookingId = typeof body.bookingId === "string" ? body.bookingId : "";
      return page({
        list,
        done: null,
        error: translate(ctx.state.lang, err.messageKey, err.params),
        failed: err instanceof ValidationError ? { bookingId, errors: err.messages() } : null,
      }, { status: err.status });
    }
  },
});

export default define.page<typeof handler>(function AdminReviews({ data, state, url }) {
  const { t, lang } = state;
  const tz = config.timeZone;
  const { list } = data;
  const filters = [["all", "review.admin.filter_all"], ["visible", "review.admin.filter_visible"], [
    "hidden",
    "review.admin.filter_hidden",
  ]] as const;
  return (
    <>
      <p class="back-link">
        <a href="/admin">← {t("admin.title")}</a>
      </p>
      <PageHeader title={t("review.admin.title")} subtitle={t("review.admin.intro")} />
      {data.done === "hidden" ? <FormAlert kind="success" message={t("review.admin.hidden_done")} /> : null}
      {data.done === "unhidden" ? <FormAlert kind="success" message={t("review.admin.unhidden_done")} /> : null}
      <FormAlert message={data.error} />
      <nav class="review-filter" aria-label={t("review.admin.filter")}>
        {filters.map(([v, key]) => (
          <a
            key={v}
            class={`btn btn-sm ${list.show === v ? "" : "btn-secondary"}`}
            href={v === "all" ? "/admin/reviews" : `/admin/reviews?show=${v}`}
            aria-current={list.show === v ? "page" : undefined}
          >
            {t(key)}
          </a>
        ))}
      </nav>
      <Card>
        {list.items.length
          ? (
            <ul class="review-list" role="list">
              {list.items.map((r) => {
                const errors = data.failed?.bookingId === r.bookingId ? data.failed.errors : undefined;
                return (
                  <ReviewItem key={r.id} r={publicReview(r)} t={t} lang={lang} timeZone={tz} hidden={r.hidden}>
                    <p class="muted" id={`review-${r.bookingId}`}>
                      {t("review.admin.psychologist")}: <strong>{list.names[r.psychologistId]}</strong> ·{" "}
                      {t("review.admin.client")}: <a href={`/admin/users/${r.clientId}`}>{r.clientFirstName}</a> ·{" "}
                      {t("review.admin.session")}: {formatDateTime(r.sessionAt, lang, tz)}
                    </p>
                    {r.comment ? null : <p class="muted">{t("review.admin.no_comment")}</p>}
                    {r.hidden
                      ? (
                        <p>
                          <Badge tone="warning">{t("review.admin.hidden_badge")}</Badge> {t("review.admin.hidden_by", {
                            time: formatDateTime(r.hiddenAt, lang, tz),
                            reason: r.hiddenReason ?? "",
                          })}
                        </p>
                      )
                      : null}
                    {r.hidden
                      ? (
                        <form method="post">
                          <input type="hidden" name="bookingId" value={r.bookingId} />
                          <input type="hidden" name="hidden" value="0" />
                          {list.show !== "all" ? <input type="hidden" name="show" value={list.show} /> : null}
                          <div class="review-moderation">
                            <div class="field">
                              <label for={`reason-${r.bookingId}`}>{t("review.admin.unhide_reason")}</label>
                              <input
                                id={`reason-${r.bookingId}`}
                                name="reason"
                                type="text"
                                maxLength={MAX_HIDE_REASON_CHARS}
                              />
                            </div>
                            <div>
                              <button type="submit" class="btn btn-secondary">{t("review.admin.unhide")}</button>
                            </div>
                          </div>
                        </form>
                      )
                      : (
                        <details class="review-hide" open={errors ? true : undefined}>
                          <summary>{t("review.admin.hide")}…</summary>
                          <form method="post" class="review-moderation">
                            <input type="hidden" name="bookingId" value={r.bookingId} />
                            <input type="hidden" name="hidden" value="1" />
                            {list.show !== "all" ? <input type="hidden" name="show" value={list.show} /> : null}
                            <div class={`field${errors?.reason ? " has-error" : ""}`}>
                              <label for={`reason-${r.bookingId}`}>
                                {t("review.admin.reason")}
                                <span class="req" aria-hidden="true">*</span>
                              </label>
                              <input
                                id={`reason-${r.bookingId}`}
                                name="reason"
                                type="text"
                                required
                                maxLength={MAX_HIDE_REASON_CHARS}
                                aria-invalid={errors?.reason ? "true" : undefined}
                                aria-describedby={`reason-hint-${r.bookingId}`}
                              />
                              <p class="hint" id={`reason-hint-${r.bookingId}`}>{t("review.admin.reason_hint")}</p>
                              {errors?.reason ? <p class="field-error">{errorText(t, errors.reason)}</p> : null}
                            </div>
                            <div>
                              <button type="submit" class="btn btn-danger-outline">{t("review.admin.hide")}</button>
                            </div>
                          </form>
                        </details>
                      )}
                  </ReviewItem>
                );
              })}
            </ul>
          )
          : <Empty t={t} message={t("review.list.empty")} />}
      </Card>
      <Pagination url={url} cursor={list.cursor} t={t} />
    </>
  );
});
