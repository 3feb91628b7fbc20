/**
 * The error page (Fresh 2 `_error`): renders every error thrown by a
 * middleware, handler or page (404s included), translated, with the status
 * and headers `errorPage` picks; JSON clients and `/api/` get JSON from it.
 */
import { define } from "@/lib/define.ts";
import { errorPage } from "@/lib/http/errors.ts";

export const handler = define.handlers((ctx) => errorPage(ctx));

export default define.page<typeof handler>(function ErrorPage({ data, state }) {
  const { t } = state;
  // errorPage (lib/http/errors.ts) put the translated title in state for the <title> too.
  const title = state.title ?? String(data.status);
  return (
    <section class="card narrow error-page" aria-labelledby="error-title">
      <p class="error-code">{data.status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{data.message}</p>
      <p>
        <a class="btn" href="/">{t("error.back_home")}</a>
      </p>
    </section>
  );
});
