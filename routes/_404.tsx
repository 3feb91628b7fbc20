import { define } from "@/lib/define.ts";
import { ErrorPage } from "@/components/ErrorPage.tsx";

export default define.page(function NotFoundPage({ state }) {
  return <ErrorPage status={404} message={state.t("error.not_found")} t={state.t} />;
});
