import { define } from "@/lib/define.ts";
import { ErrorPage } from "@/components/ErrorPage.tsx";

export default define.page(function ServerErrorPage({ state }) {
  const t = state.t ?? ((k: string) => k);
  return <ErrorPage status={500} message={t("error.internal")} t={t} />;
});
