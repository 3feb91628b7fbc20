import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { searchGuests } from "@/lib/guestbook/guests.ts";
import { Card, Empty, PageHeader, Pagination } from "@/components/ui.tsx";
import { fmtPhone } from "@/components/frontdesk/format.ts";

/**
 * `/frontdesk/guests?q=` — search guests by name or phone (any format)
 * (docs/domain-rules.md "Guests"); each result links to its edit page. Receptionist and admin.
 */
export const handler = define.handlers({
  async GET(ctx) {
    requireRole(ctx, "receptionist", "admin");
    ctx.state.title = ctx.state.t("fd.guests.title");
    const q = (ctx.url.searchParams.get("q") ?? "").slice(0, 100);
    const cursor = ctx.url.searchParams.get("cursor");
    const result = await searchGuests(q, { cursor, limit: 20 });
    return page({ q, ...result });
  },
});

export default define.page<typeof handler>(function GuestsPage({ data, state, url }) {
  const t = state.t;
  return (
    <div class="frontdesk-page">
      <PageHeader title={t("fd.guests.title")} subtitle={t("fd.guests.subtitle")} />
      <Card>
        <form method="get" class="search-form" role="search">
          <label for="guest-q" class="sr-only">{t("fd.guests.search_label")}</label>
          <input
            id="guest-q"
            class="input"
            type="search"
            name="q"
            value={data.q}
            placeholder={t("fd.guests.search_placeholder")}
            maxLength={100}
            autocomplete="off"
          />
          <button type="submit" class="btn">{t("common.search")}</button>
        </form>
        {data.items.length === 0
          ? <Empty t={t} message={data.q ? t("fd.guests.no_match", { q: data.q }) : t("fd.guests.none")} />
          : (
            <div class="table-wrap">
              <table class="guests-table">
                <thead>
                  <tr>
                    <th scope="col">{t("fd.form.guest_name")}</th>
                    <th scope="col">{t("fd.form.guest_phone")}</th>
                    <th scope="col">{t("fd.form.guest_email")}</th>
                    <th scope="col">
                      <span class="sr-only">{t("common.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((g) => (
                    <tr>
                      <td data-label={t("fd.form.guest_name")}>
                        <a href={`/frontdesk/guests/${g.id}`}>{g.name}</a>
                      </td>
                      <td data-label={t("fd.form.guest_phone")}>{fmtPhone(g.phone)}</td>
                      <td data-label={t("fd.form.guest_email")}>{g.email ?? "—"}</td>
                      <td>
                        <a
                          class="btn btn-sm btn-secondary"
                          href={`/frontdesk/guests/${g.id}`}
                          aria-label={`${t("common.edit")}: ${g.name}`}
                        >
                          {t("common.edit")}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        <Pagination url={url} cursor={data.cursor} t={t} />
      </Card>
    </div>
  );
});
