import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { addSheets } from "@/lib/state.ts";
import { type HomeCard, HomeCards } from "@/components/HomeCards.tsx";
import { getPsychologist } from "@/lib/psychologists/store.ts";
import { listBookings } from "@/lib/booking/store.ts";
import { queueOf } from "@/lib/workspace/queue.ts";
import { Card, Empty, FormAlert } from "@/components/ui.tsx";
import { QueueRow } from "@/components/workspace.tsx";

/**
 * The psychologist's home: today's sessions (the queue's "today", with the
 * same chat, reminder and session actions), how many paid bookings wait for a
 * confirmation, whether the profile is verified yet (only verified
 * psychologists are listed and bookable), and the practice tools.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "booking", "workspace");
    ctx.state.title = ctx.state.t("nav.home");
    const [profile, paid, queue] = await Promise.all([
      getPsychologist(user.id),
      listBookings({ psychologistId: user.id }, { status: "paid", from: new Date().toISOString(), limit: 100 }),
      queueOf(user),
    ]);
    return page({
      verification: profile?.verification ?? null,
      active: profile?.active ?? false,
      toConfirm: paid.items.length,
      today: queue.today,
      timeZone: queue.timeZone,
    });
  },
});

const CARDS: HomeCard[] = [
  ["workspace.home.queue", "workspace.home.queue_body", "/psychologist/queue"],
  ["home.psychologist.today", "home.psychologist.today_body", "/psychologist/bookings"],
  ["workspace.home.history", "workspace.home.history_body", "/psychologist/history"],
  ["home.psychologist.schedule", "home.psychologist.schedule_body", "/psychologist/availability"],
  ["home.psychologist.profile", "home.psychologist.profile_body", "/psychologist/profile"],
  ["home.psychologist.stats", "home.psychologist.stats_body", "/psychologist/stats"],
];

export default define.page<typeof handler>(function PsychologistHome({ state: { t, user, lang }, data }) {
  return (
    <HomeCards
      t={t}
      title={t("home.welcome", { name: user?.name ?? "" })}
      subtitle={t("home.psychologist.intro")}
      cards={CARDS}
    >
      {data.verification !== "verified"
        ? <FormAlert kind="info" message={t("booking.psy.not_verified")} />
        : !data.active
        ? <FormAlert kind="info" message={t("booking.psy.deactivated")} />
        : null}
      {data.toConfirm
        ? (
          <div class="alert alert-info pay-now" role="status">
            <p>{t("booking.psy.home_to_confirm", { count: data.toConfirm })}</p>
            <a class="btn" href="/psychologist/bookings">{t("booking.psy.open_sessions")}</a>
          </div>
        )
        : null}
      <Card title={`${t("workspace.home.today")} (${data.today.length})`} class="queue-day">
        {data.today.length
          ? (
            <ol class="queue-list">
              {data.today.map((it) => (
                <QueueRow key={it.id} it={it} t={t} lang={lang} timeZone={data.timeZone} showDate={false} />
              ))}
            </ol>
          )
          : <Empty t={t} message={t("workspace.home.none_today")} />}
        <p>
          <a class="btn btn-secondary" href="/psychologist/queue">{t("workspace.home.open_queue")}</a>
        </p>
      </Card>
    </HomeCards>
  );
});
