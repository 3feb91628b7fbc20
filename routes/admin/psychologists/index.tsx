import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { readBody, z } from "@/lib/validation.ts";
import { parseInput } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { seeOther } from "@/lib/auth/web.ts";
import { formFailure, type Msg } from "@/lib/auth/web.ts";
import { MsgAlert } from "@/components/auth/views.tsx";
import { listPsychologists, setPsychologistActive } from "@/lib/psychologists/store.ts";
import { verifyProfile } from "@/lib/psychologists/applications.ts";
import { listApplications } from "@/lib/psychologists/applications.ts";
import { Badge, Card, ConfirmStep, Empty, PageHeader, Pagination } from "@/components/ui.tsx";

const query = z.object({
  cursor: z.string().max(500).optional(),
  confirm: z.string().max(40).optional(),
  id: z.string().max(40).optional(),
  done: z.enum(["deactivated", "reactivated", "verified", "created", "created_nomail"]).optional(),
});

const DONE_KIND: Record<string, Msg["kind"]> = { created_nomail: "error" };

/**
 * Psychologists (admin, laptop): every profile with its verification and whether
 * it is listed; deactivate (asks first; hides from the directory, bookings stay),
 * reactivate, verify a profile without application. Links to the applications
 * queue and to "new psychologist".
 */
export const handler = define.handlers({
  async GET(ctx) {
    const admin = requireRole(ctx, "admin");
    ctx.state.title = ctx.state.t("psy.admin.title");
    const q = parseInput(query, Object.fromEntries(ctx.url.searchParams));
    const list = await listPsychologists({ cursor: q.cursor, limit: 50 });
    const pending = (await listApplications(admin, { status: "pending", limit: 100 })).items.length;
    const target = q.confirm === "deactivate" && q.id ? list.items.find((p) => p.id === q.id) ?? null : null;
    const message: Msg | null = q.done
      ? { key: `psy.admin.done.${q.done}`, kind: DONE_KIND[q.done] ?? "success" }
      : null;
    return page({ list, pending, target, message });
  },
  async POST(ctx) {
    const admin = requireRole(ctx, "admin");
    const body = await readBody(ctx.req);
    const id = typeof body.id === "string" ? body.id.slice(0, 40) : "";
    try {
      switch (body.action) {
        case "deactivate":
          await setPsychologistActive(admin, id, false);
          return seeOther("/admin/psychologists?done=deactivated");
        case "reactivate":
          await setPsychologistActive(admin, id, true);
          return seeOther("/admin/psychologists?done=reactivated");
        case "verify":
          await verifyProfile(admin, id);
          return seeOther("/admin/psychologists?done=verified");
        default:
          return seeOther("/admin/psychologists");
      }
    } catch (err) {
      const f = formFailure(err);
      const list = await listPsychologists({ limit: 50 });
      const pending = (await listApplications(admin, { status: "pending", limit: 100 })).items.length;
      return page({ list, pending, target: null, message: f.message }, { status: f.status });
    }
  },
});

const VTONE = { pending: "warning", verified: "success", rejected: "danger" } as const;

export default define.page<typeof handler>(function AdminPsychologists({ data, state, url }) {
  const t = state.t;
  const target = data.target;
  return (
    <>
      <PageHeader title={t("psy.admin.title")} subtitle={t("psy.admin.intro")}>
        <a class="btn" href="/admin/psychologists/new">{t("psy.admin.new")}</a>
        <a class="btn btn-secondary" href="/admin/psychologists/applications">
          {t("psy.admin.applications", { count: data.pending })}
        </a>
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      {target
        ? (
          <ConfirmStep
            title={t("psy.admin.confirm_deactivate.title")}
            body={t("psy.admin.confirm_deactivate.body", { name: target.name })}
            submitLabel={t("psy.admin.deactivate")}
            backHref="/admin/psychologists"
            backLabel={t("confirm.back")}
            action="/admin/psychologists"
            fields={{ action: "deactivate", id: target.id }}
          />
        )
        : null}
      <Card>
        {data.list.items.length === 0 ? <Empty t={t} message={t("psy.admin.none")} /> : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("psy.field.name")}</th>
                  <th scope="col">{t("psy.field.licence")}</th>
                  <th scope="col">{t("psy.admin.verification")}</th>
                  <th scope="col">{t("psy.admin.listed")}</th>
                  <th scope="col">{t("psy.field.services")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.list.items.map((p) => (
                  <tr data-psychologist-id={p.id} key={p.id}>
                    <td>
                      {p.verification === "verified" && p.active
                        ? <a href={`/psychologists/${p.id}`}>{p.name}</a>
                        : p.name}
                      <div class="muted">{p.title}</div>
                    </td>
                    <td>{p.licenceNumber}</td>
                    <td>
                      <Badge tone={VTONE[p.verification]}>{t(`psy.verification.${p.verification}`)}</Badge>
                    </td>
                    <td>
                      {p.active
                        ? <Badge tone="success">{t("psy.admin.active")}</Badge>
                        : <Badge tone="danger">{t("psy.admin.inactive")}</Badge>}
                    </td>
                    <td>{p.services.length}</td>
                    <td class="actions-cell">
                      <a class="btn btn-sm btn-secondary" href={`/admin/users/${p.id}`}>{t("psy.admin.account")}</a>
                      {p.verification === "pending"
                        ? (
                          <form method="post" action="/admin/psychologists" class="inline-form">
                            <input type="hidden" name="action" value="verify" />
                            <input type="hidden" name="id" value={p.id} />
                            <button type="submit" class="btn btn-sm">{t("psy.admin.verify")}</button>
                          </form>
                        )
                        : null}
                      {p.active
                        ? (
                          <a
                            class="btn btn-sm btn-danger-outline"
                            href={`/admin/psychologists?confirm=deactivate&id=${p.id}#confirm`}
                          >
                            {t("psy.admin.deactivate")}
                          </a>
                        )
                        : (
                          <form method="post" action="/admin/psychologists" class="inline-form">
                            <input type="hidden" name="action" value="reactivate" />
                            <input type="hidden" name="id" value={p.id} />
                            <button type="submit" class="btn btn-sm btn-secondary">{t("psy.admin.reactivate")}</button>
                          </form>
                        )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination url={url} cursor={data.list.cursor} t={t} />
      </Card>
    </>
  );
});
