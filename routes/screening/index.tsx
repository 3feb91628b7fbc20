import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { entryUrl } from "@/lib/fresh_assets.ts";
import { ACTIVE_COUNT, stimulusSeconds } from "@/lib/screening/stimuli.ts";
import { CONSENT_TEXT_VERSION } from "@/lib/screening/consent.ts";
import { pickStrings } from "@/components/frontdesk/ui.tsx";
import { PageHeader } from "@/components/ui.tsx";
import ScreeningRun, { SCREENING_RUN_KEYS } from "@/islands/ScreeningRun.tsx";

/**
 * `/screening` — the on-device emotion screening run (docs/screening-engine.md): intro
 * dialogs, consent, camera and the 14 pictures in the `ScreeningRun` island. Clients only (others get
 * the usual refusal). Needs JavaScript: without it a notice says why.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "client");
    addSheets(ctx.state, "screening_run");
    ctx.state.title = ctx.state.t("srun.title");
    return page({ workerUrl: await entryUrl("screening_worker"), seconds: stimulusSeconds() });
  },
});

export default define.page<typeof handler>(function ScreeningPage({ data, state }) {
  const t = state.t;
  const minutes = Math.max(1, Math.round((ACTIVE_COUNT * data.seconds) / 60));
  return (
    <div class="srun-page">
      <PageHeader title={t("srun.title")} subtitle={t("srun.subtitle", { minutes })} />
      <noscript>
        <p class="alert">{t("srun.noscript")}</p>
      </noscript>
      <ScreeningRun
        strings={pickStrings(t, SCREENING_RUN_KEYS)}
        workerUrl={data.workerUrl}
        consentTextVersion={CONSENT_TEXT_VERSION}
        pictureCount={ACTIVE_COUNT}
        seconds={data.seconds}
      />
      <p class="srun-links">
        <a href="/screening/history">{t("srun.history")}</a>
      </p>
    </div>
  );
});
