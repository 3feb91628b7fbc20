/**
 * The admins' side of verification (docs/domain-rules.md "Psychologists and
 * directory"): the queue of applications, approve or reject with a reason (the
 * applicant is e-mailed in their language), and creating a verified
 * psychologist directly. Every action is audited (`lib/audit.ts`).
 */
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { Conflict, Forbidden, NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { audit } from "@/lib/audit.ts";
import * as AS from "@/lib/auth/schemas.ts";
import { getUserByEmail, prepareUser, type User } from "@/lib/auth/users.ts";
import { temporaryPassword } from "@/lib/auth/admin.ts";
import { sendAccountMail } from "@/lib/auth/mailer.ts";
import { type Application, type ApplicationStatus, profileInputSchema, type Psychologist } from "./model.ts";
import { addProfileWrites, commitProfile, newProfile } from "./store.ts";
import * as K from "./keys.ts";

function requireAdmin(actor: User): void {
  if (actor.role !== "admin" || actor.status !== "active") throw new Forbidden();
}

/** An application by id, or null (malformed ids too). */
export async function getApplication(id: string): Promise<Application | null> {
  if (typeof id !== "string" || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return null;
  return (await (await getKv()).get<Application>(K.applicationKey(id))).value;
}

/** The application of the applicant account `userId`, or null. */
export async function applicationOfUser(userId: string): Promise<Application | null> {
  const id = (await (await getKv()).get<string>(K.applicationByUserKey(userId))).value;
  return id ? await getApplication(id) : null;
}

/**
 * Applications in `status`, oldest first (the queue), cursor-paginated (`limit` 1..100).
 * @throws Forbidden (not an admin), BadRequest `invalid_cursor`
 */
export async function listApplications(
  actor: User,
  opts: { status?: ApplicationStatus; cursor?: string | null; limit?: number } = {},
): Promise<Page<Application>> {
  requireAdmin(actor);
  const kv = await getKv();
  const page = await listPage<string>(kv, { prefix: K.applicationsByStatusPrefix(opts.status ?? "pending") }, {
    cursor: opts.cursor,
    limit: opts.limit ?? 50,
    reverse: (opts.status ?? "pending") !== "pending",
  });
  const apps = await Promise.all(page.items.map(getApplication));
  return { items: apps.filter((a): a is Application => !!a), cursor: page.cursor };
}

/** Longest rejection reason (characters). */
export const REASON_MAX = 1000;

/** A decision: approve, or reject with a reason (required, ≤ 1000 characters). */
export const decisionSchema = z.object({
  decision: z.enum(["approve", "reject"], "field.invalid_choice"),
  reason: z.string().trim().max(REASON_MAX, "field.too_long").default(""),
}).refine((d) => d.decision === "approve" || d.reason.length > 0, {
  message: "psy.error.reason_required",
  path: ["reason"],
});

/**
 * Approves (the profile becomes `verified` and is listed) or rejects (profile
 * `rejected`, reason kept) a pending application, in one atomic commit with the
 * profile and the queue index; then mails the applicant in their language and
 * writes `application.approve` / `application.reject` to the audit log.
 * @param raw `{decision: "approve"|"reject", reason?}`
 * @throws Forbidden, NotFound `application_not_found`, ValidationError (`reason`
 *   required to reject), Conflict `application_decided` (already decided)
 */
export async function decideApplication(
  actor: User,
  id: string,
  raw: unknown,
): Promise<{ application: Application; mailSent: boolean }> {
  requireAdmin(actor);
  const input = parseInput(decisionSchema, raw);
  const kv = await getKv();
  for (let attempt = 0; attempt < 5; attempt++) {
    const app = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await kv.get<Application>(K.applicationKey(id)) : null;
    if (!app?.value) throw new NotFound("application_not_found", "psy.error.application_not_found");
    if (app.value.status !== "pending") throw new Conflict("application_decided", "psy.error.application_decided");
    const prof = await kv.get<Psychologist>(K.psychologistKey(app.value.userId));
    if (!prof.value) throw new NotFound("psychologist_not_found", "psy.error.not_found");
    const now = new Date().toISOString();
    const approve = input.decision === "approve";
    const next: Application = {
      ...app.value,
      status: approve ? "approved" : "rejected",
      reason: approve ? null : input.reason,
      decidedBy: actor.id,
      decidedAt: now,
    };
    const profile: Psychologist = {
      ...prof.value,
      verification: approve ? "verified" : "rejected",
      verifiedAt: approve ? now : null,
      updatedAt: now,
    };
    const op = kv.atomic().check(app)
      .set(K.applicationKey(id), next)
      .delete(K.applicationByStatusKey("pending", id))
      .set(K.applicationByStatusKey(next.status, id), id);
    addProfileWrites(op, profile, prof.versionstamp);
    if (!(await op.commit()).ok) continue;
    const mailSent = approve
      ? await sendAccountMail("psy_application_approved", next.lang, next.email, { name: next.name })
      : await sendAccountMail("psy_application_rejected", next.lang, next.email, {
        name: next.name,
        reason: input.reason,
      });
    await audit(actor.id, approve ? "application.approve" : "application.reject", `application:${id}`, {
      userId: next.userId,
      mailSent,
    });
    return { application: next, mailSent };
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/**
 * Verifies a pending profile that has no application (a psychologist account an
 * admin created on the users page, whose owner then filled in the profile).
 * Audited as `psychologist.verify`.
 * @throws Forbidden, NotFound, Conflict `application_pending` (decide the application instead)
 */
export async function verifyProfile(actor: User, id: string): Promise<Psychologist> {
  requireAdmin(actor);
  if ((await (await getKv()).get(K.applicationByUserKey(id))).value) {
    const app = await applicationOfUser(id);
    if (app?.status === "pending") throw new Conflict("application_pending", "psy.error.application_pending");
  }
  const next = await commitProfile(id, (cur) => ({
    ...cur,
    verification: "verified",
    verifiedAt: cur.verifiedAt ?? new Date().toISOString(),
  }));
  await audit(actor.id, "psychologist.verify", `user:${id}`, {});
  return next;
}

/** The account part of the admin's "new psychologist" form. */
export const newPsychologistAccountSchema = z.object({
  name: AS.name,
  email: AS.email,
  lang: AS.lang.default("id"),
});

/**
 * Creates a verified psychologist directly (an admin): the account (temporary
 * password, changed at first sign-in, mailed as `staff_welcome`) and a verified
 * profile in ONE atomic commit. Audited as `psychologist.create`.
 * @param raw account fields `name, email, lang` and a profile input (services included)
 * @throws Forbidden, ValidationError (any field; `email` taken → `auth.email_taken`)
 */
export async function adminCreatePsychologist(
  actor: User,
  raw: Record<string, unknown>,
): Promise<{ user: User; profile: Psychologist; mailSent: boolean }> {
  requireAdmin(actor);
  let error: ValidationError | null = null;
  let account: z.output<typeof newPsychologistAccountSchema> | null = null;
  let profileIn: z.output<typeof profileInputSchema> | null = null;
  try {
    account = parseInput(newPsychologistAccountSchema, raw);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    error = err;
  }
  try {
    profileIn = parseInput(profileInputSchema, raw);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    error = error ? error.merge(err) : err;
  }
  if (error || !account || !profileIn) throw error ?? new ValidationError({ _: "error.validation" });
  if (await getUserByEmail(account.email)) {
    throw new ValidationError({ email: "auth.email_taken" }, "error.validation", "email_taken");
  }
  const password = temporaryPassword();
  const prepared = await prepareUser({
    role: "psychologist",
    name: account.name,
    email: account.email,
    lang: account.lang,
    status: "active",
    mustChangePassword: true,
    password,
  });
  const profile = newProfile(prepared.user.id, profileIn, "verified");
  const kv = await getKv();
  const op = prepared.addTo(kv.atomic());
  addProfileWrites(op, profile, null);
  if (!(await op.commit()).ok) {
    const c = await prepared.conflict();
    throw new ValidationError({ email: "auth.email_taken" }, "error.validation", c.code);
  }
  const user = prepared.user;
  const mailSent = await sendAccountMail("staff_welcome", user.lang, user.email!, {
    name: user.name,
    email: user.email!,
    password,
    role: user.role,
  });
  await audit(actor.id, "psychologist.create", `user:${user.id}`, { mailSent });
  return { user, profile, mailSent };
}
