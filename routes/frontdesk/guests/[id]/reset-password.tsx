import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { deskResetGuestPassword } from "@/lib/auth/accounts.ts";
import { formatPhone } from "@/lib/auth/phone.ts";
import { Card, PageHeader } from "@/components/ui.tsx";

/**
 * `POST /frontdesk/guests/:id/reset-password` — the desk (receptionist or
 * admin) gives a guest a new portal password (`deskResetGuestPassword`,
 * audited). The answer shows the password once and is never cached
 * (`Cache-Control: no-store`); `GET` goes back to the guest's page.
 */
export const handler = define.handlers({
  GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    return ctx.redirect(`/frontdesk/guests/${encodeURIComponent(ctx.params.id)}`, 303);
  },
  async POST(ctx) {
    const actor = requireRole(ctx, "receptionist", "admin");
    const { guest, password } = await deskResetGuestPassword(actor, ctx.params.id);
    ctx.state.title = ctx.state.t("desk.reset.done_title", { name: guest.name });
    return page(
      { id: guest.id, name: guest.name, phone: guest.phone ? formatPhone(guest.phone) : "", password },
      { headers: { "cache-control": "no-store" } },
    );
  },
});

export default define.page<typeof handler>(function GuestPasswordReset({ data, state }) {
  const t = state.t;
  return (
    <div class="frontdesk-page">
      <PageHeader title={t("desk.reset.done_title", { name: data.name })} />
      <Card>
        <p>{t("desk.reset.done_intro", { phone: data.phone })}</p>
        <p class="secret-once">
          <code data-testid="new-password">{data.password}</code>
        </p>
        <p>
          <a class="btn" href={`/frontdesk/guests/${data.id}`}>{t("desk.reset.back")}</a>
        </p>
      </Card>
    </div>
  );
});
