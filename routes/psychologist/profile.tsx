import { page } from "fresh";
import { define } from "@/lib/define.ts";
import { readFormData } from "@/lib/validation.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { ValidationError } from "@/lib/errors.ts";
import { formFailure, type Msg, seeOther } from "@/lib/auth/web.ts";
import { addSheets } from "@/lib/state.ts";
import { MsgAlert } from "@/components/auth/views.tsx";
import { enforceUploadLimit, FILE_POLICIES, saveFile } from "@/lib/files/store.ts";
import {
  createPsychologistProfile,
  getPsychologist,
  setPsychologistPhoto,
  updatePsychologistProfile,
} from "@/lib/psychologists/store.ts";
import { applicationOfUser } from "@/lib/psychologists/applications.ts";
import { echoProfileForm, formErrors, profileFromForm, profileValues, serviceRows } from "@/lib/psychologists/form.ts";
import type { ProfileInput } from "@/lib/psychologists/model.ts";
import { Card, errorText, type FieldErrors, PageHeader } from "@/components/ui.tsx";
import { NameField } from "@/components/auth/fields.tsx";
import { ProfileFields, ServiceRows } from "@/components/psychologists/fields.tsx";
import { Avatar } from "@/components/psychologists/PsychologistCard.tsx";

/** Largest body: a photo at its limit plus the fields. */
const MAX_BYTES = FILE_POLICIES.psychologist_photo.maxBytes + 64 * 1024;

async function load(userId: string) {
  const profile = await getPsychologist(userId);
  const application = profile && profile.verification !== "verified" ? await applicationOfUser(userId) : null;
  return { profile, application };
}

/**
 * The psychologist's own profile (laptop): verification status, photo (PNG/JPEG/WebP ≤ 2 MiB,
 * ≤ 2000 px), every profile field and up to six services, with field errors. Without a profile
 * yet (an account an admin created), saving creates one that waits for an admin's verification.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "psychologists");
    ctx.state.title = ctx.state.t("psy.edit.title");
    const data = await load(user.id);
    const done = ctx.url.searchParams.get("done");
    const message: Msg | null = done === "saved" || done === "photo" || done === "created"
      ? { key: `psy.edit.done.${done}`, kind: "success" }
      : null;
    const values = data.profile ? profileValues(data.profile) : { name: user.name.split(",")[0], languages: "id" };
    return page({ ...data, values, errors: {} as FieldErrors, message });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "psychologist");
    addSheets(ctx.state, "psychologists");
    ctx.state.title = ctx.state.t("psy.edit.title");
    const form = await readFormData(ctx.req, MAX_BYTES);
    const data = await load(user.id);
    try {
      if (form.get("action") === "photo") {
        const f = form.get("photo");
        if (form.get("remove") === "1") {
          await setPsychologistPhoto(user, user.id, null);
        } else {
          if (!(f instanceof File) || f.size === 0) throw new ValidationError({ photo: "files.empty" });
          await enforceUploadLimit(user);
          const stored = await saveFile(new Uint8Array(await f.arrayBuffer()), "psychologist_photo", user)
            .catch((err) => {
              if (err instanceof ValidationError) {
                throw new ValidationError({ photo: err.fields.file }, err.messageKey, err.code, {
                  ...(err.fieldParams.file ? { photo: err.fieldParams.file } : {}),
                });
              }
              throw err;
            });
          await setPsychologistPhoto(user, user.id, stored.id);
        }
        return seeOther("/psychologist/profile?done=photo");
      }
      const input = profileFromForm(form);
      if (data.profile) {
        await updatePsychologistProfile(user, user.id, input);
        return seeOther("/psychologist/profile?done=saved");
      }
      await createPsychologistProfile(user.id, input as ProfileInput, { verification: "pending" });
      return seeOther("/psychologist/profile?done=created");
    } catch (err) {
      const f = formFailure(err instanceof ValidationError ? formErrors(err, serviceRows(form)) : err);
      const values = form.get("action") === "photo"
        ? (data.profile ? profileValues(data.profile) : {})
        : echoProfileForm(form);
      return page({ ...data, values, errors: f.errors as FieldErrors, message: f.message }, { status: f.status });
    }
  },
});

const VTONE = { pending: "alert-info", verified: "alert-success", rejected: "alert-error" } as const;

export default define.page<typeof handler>(function EditProfile({ data, state }) {
  const t = state.t;
  const p = data.profile;
  const e = data.errors;
  return (
    <div class="psy-edit">
      <PageHeader title={t("psy.edit.title")} subtitle={t("psy.edit.intro")}>
        {p && p.verification === "verified" && p.active
          ? <a class="btn btn-secondary" href={`/psychologists/${p.id}`}>{t("psy.edit.view_public")}</a>
          : null}
      </PageHeader>
      <MsgAlert msg={data.message} t={t} />
      {p
        ? (
          <div class={`alert ${VTONE[p.verification]}`} role="status" data-verification={p.verification}>
            {t(`psy.edit.status.${p.verification}`)}
            {p.verification === "rejected" && data.application?.reason
              ? <>{t("psy.edit.reason", { reason: data.application.reason })}</>
              : null}
            {!p.active ? <>{t("psy.edit.inactive")}</> : null}
          </div>
        )
        : <div class="alert alert-info" role="status">{t("psy.edit.no_profile")}</div>}
      <div class="psy-edit-grid">
        {p
          ? (
            <Card title={t("psy.edit.photo")}>
              <Avatar name={p.name} photoUrl={p.photoFileId ? `/files/${p.photoFileId}` : null} size={128} />
              <form method="post" action="/psychologist/profile" enctype="multipart/form-data" class="stack">
                <input type="hidden" name="action" value="photo" />
                <div class={`field${e.photo ? " has-error" : ""}`}>
                  <label for="f-photo">{t("psy.edit.photo_file")}</label>
                  <input id="f-photo" name="photo" type="file" accept="image/png,image/jpeg,image/webp" />
                  <p class="hint">{t("psy.edit.photo_hint")}</p>
                  {e.photo ? <p class="field-error">{errorText(t, e.photo)}</p> : null}
                </div>
                <button type="submit" class="btn btn-secondary">{t("psy.edit.photo_upload")}</button>
              </form>
              {p.photoFileId
                ? (
                  <form method="post" action="/psychologist/profile" enctype="multipart/form-data">
                    <input type="hidden" name="action" value="photo" />
                    <input type="hidden" name="remove" value="1" />
                    <button type="submit" class="btn btn-ghost">{t("psy.edit.photo_remove")}</button>
                  </form>
                )
                : null}
            </Card>
          )
          : null}
        <form method="post" action="/psychologist/profile" class="psy-editor" novalidate>
          <input type="hidden" name="action" value="profile" />
          <Card title={t("psy.apply.profile")}>
            <div class="stack">
              <NameField
                label={t("psy.field.name")}
                hint={t("psy.field.name_hint")}
                t={t}
                errors={e}
                value={data.values.name}
                required
              />
              {p?.verification === "verified" ? <p class="hint" data-reverify>{t("psy.edit.reverify_hint")}</p> : null}
              <ProfileFields t={t} errors={e} values={data.values} />
            </div>
          </Card>
          <Card>
            <ServiceRows t={t} errors={e} values={data.values} />
          </Card>
          <div class="form-actions">
            <button type="submit" class="btn btn-lg">{t("psy.edit.save")}</button>
          </div>
        </form>
      </div>
    </div>
  );
});
