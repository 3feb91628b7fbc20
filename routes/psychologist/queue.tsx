import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { AppError } from "@/lib/errors.ts";
import { readBody } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { translate } from "@/lib/i18n/mod.ts";
import { addSheets } from "@/lib/state.ts";
import { queueOf } from "@/lib/workspace/queue.ts";
import { queueMove } from "@/lib/workspace/http.ts";
import { Card, Empty, FormAlert, PageHeader } from "@/components/ui.tsx";
import { QueueRow, WorkspaceTabs } from "@/components/workspace.tsx";

/**
 * `/psychologist/queue` — the psychologist's day as a timeline: today's
 * sessions, tomorrow's and later ones, each with the client (name, age, link
 * to the patient details), service, state, "Start chat" (active from when the
 * chat opens), a WhatsApp reminder, and the session moves (confirm, start,
 * complete posted here; no-show on the booking page, which asks first). Works
 * without JavaScript; times in the psychologist's availability zone.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "workspace");
    ctx.state.title = ctx.state.t("workspace.queue.title");
    const done = ctx.url.searchParams.get("done");
    return page({
      queue: await queueOf(user),
      done: done === "confirm" || done === "start" || done === "complete" ? done : null,
      error: null as string | null,
    });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "workspace");
    ctx.state.title = ctx.state.t("workspace.queue.title");
    try {
      const m = await queueMove(user, await readBody(ctx.req));
      return ctx.redirect(`/psychologist/queue?done=${m.action}#b-${m.bookingId}`, 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return page({
        queue: await queueOf(user),
        done: null,
        error: translate(ctx.state.lang, err.messageKey, err.params),
      }, { status: err.status });
    }
  },
});

export default define.page<typeof handler>(function Queue({ data, state }) {
  const { t, lang } = state;
  const q = data.queue;
  const groups = [
    ["today", "workspace.queue.today", "workspace.queue.empty_today", false],
    ["tomorrow", "workspace.queue.tomorrow", "workspace.queue.empty", false],
    ["later", "workspace.queue.later", "workspace.queue.empty", true],
  ] as const;
  return (
    <div class="booking-page workspace-page">
      <PageHeader title={t("workspace.queue.title")} subtitle={t("workspace.queue.subtitle", { zone: q.timeZone })}>
        <a class="btn btn-secondary" href="/psychologist/availability">{t("booking.psy.availability")}</a>
      </PageHeader>
      <WorkspaceTabs t={t} current="queue" />
      {data.done ? <FormAlert kind="success" message={t(`booking.psy.done.${data.done}`)} /> : null}
      <FormAlert message={data.error} />
      {groups.map(([key, title, empty, showDate]) => (
        <Card key={key} title={`${t(title)} (${q[key].length})`} class="queue-day">
          {q[key].length
            ? (
              <ol class="queue-list">
                {q[key].map((it) => (
                  <QueueRow key={it.id} it={it} t={t} lang={lang} timeZone={q.timeZone} showDate={showDate} />
                ))}
              </ol>
            )
            : <Empty t={t} message={t(empty)} />}
        </Card>
      ))}
    </div>
  );
});
