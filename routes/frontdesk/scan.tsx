import { asset } from "fresh/runtime";
import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { config } from "@/lib/config.ts";
import { listToday } from "@/lib/guestbook/store.ts";
import { listActiveTeachers } from "@/lib/guestbook/create.ts";
import { entryUrl, QR_WASM_PATH } from "@/lib/fresh_assets.ts";
import { toRow } from "@/components/frontdesk/format.ts";
import { pickStrings } from "@/components/frontdesk/ui.tsx";
import QrScanner, { QR_SCANNER_KEYS } from "@/islands/QrScanner.tsx";
import { TODAY_GUESTS_KEYS } from "@/islands/TodayGuests.tsx";
import type { ApptRow } from "@/components/frontdesk/format.ts";

/**
 * `/frontdesk/scan` — the receptionist's scan screen (docs/domain-rules.md "Arrival", "Walk-in"):
 * camera/keyboard-wedge QR reader, today's live list and the walk-in form, all
 * in the `QrScanner` island. Receptionist and admin.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.scan.title");
    addSheets(ctx.state, "scan");
    const [today, teachers, workerUrl] = await Promise.all([
      listToday(user),
      listActiveTeachers(),
      entryUrl("qr_worker"),
    ]);
    return page({
      initial: today.map(toRow).filter((r): r is ApptRow => r !== null),
      teachers,
      workerUrl,
    });
  },
});

export default define.page<typeof handler>(function ScanPage({ data, state }) {
  const t = state.t;
  return (
    <div class="frontdesk-page scan-page">
      <h1 class="sr-only">{t("fd.scan.title")}</h1>
      <QrScanner
        workerUrl={data.workerUrl}
        wasmUrl={asset(QR_WASM_PATH)}
        baseUrl={config.baseUrl}
        strings={pickStrings(t, QR_SCANNER_KEYS)}
        todayStrings={pickStrings(t, TODAY_GUESTS_KEYS)}
        lang={state.lang}
        timeZone={config.timeZone}
        teachers={data.teachers}
        initial={data.initial}
      />
    </div>
  );
});
