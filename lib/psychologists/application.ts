/**
 * The public application of a psychologist (`/psychologists/apply`,
 * docs/domain-rules.md "Psychologists and directory"): account fields, licence
 * number, profile fields and 1–3 certificate files.
 *
 * - The applicant's account is created `pending` with role `psychologist`, and
 *   its e-mail is verified with the registration code, exactly as a client's
 *   (`lib/auth/registration.ts`): an address that already has an account gets
 *   the same answer and the same work (a decoy and a mail to the owner), so the
 *   form never tells whether an address is registered (OWASP ASVS V6.3.7).
 *   After entering the code the applicant signs in and sees "awaiting
 *   verification"; the profile is listed only once an admin approves it.
 * - Nothing half-written: the certificate files are stored first (owned by the
 *   new account's id), then the account, its credentials, the profile
 *   (verification `pending`) and the application are ONE atomic commit; if that
 *   commit fails or throws, the files are deleted again.
 * - At most {@link APPLICATION_LIMIT} applications per client address an hour,
 *   counted by {@link enforceApplicationLimit} BEFORE the (up to 15 MB) body is read.
 * - A taken address costs the same as a new one: its certificate files are stored
 *   and deleted again, so the answer's timing does not tell whether the address
 *   is registered (OWASP ASVS 5.0 V6.3.7; OWASP Authentication Cheat Sheet,
 *   "response time").
 */
import { getKv } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, TooManyRequests, ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { enforce, hit, type Limit } from "@/lib/ratelimit.ts";
import { audit } from "@/lib/audit.ts";
import * as AS from "@/lib/auth/schemas.ts";
import { passwordProblem } from "@/lib/auth/password.ts";
import { getUserByEmail, prepareUser, type User } from "@/lib/auth/users.ts";
import { registerTaken } from "@/lib/auth/registration.ts";
import { issueOtp } from "@/lib/auth/otp.ts";
import { OTP_MINUTES, sendAccountMail } from "@/lib/auth/mailer.ts";
import { deleteFile, FILE_POLICIES, inspectFile, saveFile, type StoredFile } from "@/lib/files/store.ts";
import { type Application, CERTIFICATES, type ParsedProfileInput, profileInputSchema } from "./model.ts";
import { formErrors, type FormLike, profileFromForm } from "./form.ts";
import { addProfileWrites, newProfile } from "./store.ts";
import * as K from "./keys.ts";

/** Applications per client address: 5 an hour (OWASP ASVS 5.0 V2.4.1, anti-automation). */
export const APPLICATION_LIMIT: Limit = { limit: 5, windowSec: 60 * 60 };

/**
 * Counts one application from client address `ip` against {@link APPLICATION_LIMIT}.
 * The route calls it before reading the form body, so a refused client never makes
 * the server read up to {@link MAX_APPLICATION_BYTES}.
 * @throws TooManyRequests (429 with Retry-After) past the limit
 */
export async function enforceApplicationLimit(ip: string): Promise<void> {
  const limited = await hit("psychologist_apply_ip", ip, APPLICATION_LIMIT);
  if (!limited.ok) throw new TooManyRequests(limited.retryAfter);
}

/**
 * Stores the certificate files as a new application would, then deletes them: the
 * storage work of a taken address, so both paths take as long (see the module doc).
 */
async function storeAndDiscard(certificates: Uint8Array[]): Promise<void> {
  const ownerId = newId();
  const saved: StoredFile[] = [];
  try {
    for (const bytes of certificates) saved.push(await saveFile(bytes, "certificate", null, { ownerId }));
  } finally {
    for (const f of saved) await deleteFile(f.id).catch(() => {});
  }
}

/** Largest application body: three certificates at their limit plus 64 KiB of fields. */
export const MAX_APPLICATION_BYTES = CERTIFICATES.max * FILE_POLICIES.certificate.maxBytes + 64 * 1024;

/** The account part of the form. */
export const applicantSchema = z.object({
  name: AS.name,
  email: AS.email,
  password: AS.newPassword,
});

/** Checks the certificate files of a form; returns their bytes, or field errors on `certificates`. */
async function readCertificates(form: FormLike): Promise<{ files: Uint8Array[]; error: ValidationError | null }> {
  const entries = form.getAll("certificates").filter((v): v is File => typeof v !== "string" && v.size > 0);
  const fail = (key: string, params?: Record<string, number>) => ({
    files: [],
    error: new ValidationError(
      { certificates: key },
      "error.validation",
      "validation_failed",
      params ? { certificates: params } : {},
    ),
  });
  if (entries.length < CERTIFICATES.min) return fail("psy.error.certificates_required");
  if (entries.length > CERTIFICATES.max) return fail("psy.error.certificates_too_many", { max: CERTIFICATES.max });
  const files: Uint8Array[] = [];
  const maxMb = Math.round(FILE_POLICIES.certificate.maxBytes / 1024 / 1024);
  for (const f of entries) {
    if (f.size > FILE_POLICIES.certificate.maxBytes) return fail("psy.error.certificate_too_big", { max: maxMb });
    const bytes = new Uint8Array(await f.arrayBuffer());
    try {
      await inspectFile(bytes, "certificate");
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const key = err.fields.file;
      if (key === "files.too_big") return fail("psy.error.certificate_too_big", { max: maxMb });
      if (key === "files.dimensions") return fail("files.dimensions", err.fieldParams.file as Record<string, number>);
      return fail("psy.error.certificate_type");
    }
    files.push(bytes);
  }
  return { files, error: null };
}

/**
 * Takes an application from the form (multipart, read by the route with
 * {@link MAX_APPLICATION_BYTES} after {@link enforceApplicationLimit}). Every field is checked in one pass. On success
 * the applicant gets the registration code by e-mail and continues at `/verify`.
 * @param form the submitted form: `name, email, password, title, licenceNumber,
 *   specialisations (repeated), education (lines), practicePlace, yearsOfExperience,
 *   languages, bio, certificates (1–3 files)`
 * @param lang the applicant's UI language (their mails)
 * @returns the e-mail to verify and whether the code mail went out (the same for a taken address)
 * @throws ValidationError (fields as named above), TooManyRequests (mails to the address)
 */
export async function submitApplication(
  form: FormLike,
  lang: Lang,
): Promise<{ email: string; mailSent: boolean }> {
  const raw = profileFromForm(form);
  const errors: ValidationError[] = [];
  const collect = <T>(f: () => T): T | null => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(err);
      return null;
    }
  };
  const account = collect(() =>
    parseInput(applicantSchema, { name: form.get("name"), email: form.get("email"), password: form.get("password") })
  );
  const profile = collect(() => parseInput(profileInputSchema, { ...raw, services: [] }));
  const certs = await readCertificates(form);
  if (certs.error) errors.push(certs.error);
  if (account) {
    const pp = await passwordProblem(account.password, [account.name, account.email]);
    if (pp) errors.push(new ValidationError({ password: pp }));
  }
  if (errors.length || !account || !profile) {
    throw formErrors(errors.reduce((all, e) => all.merge(e), new ValidationError({})));
  }

  await enforce("otp_send", account.email);
  await hit("otp_send_burst", account.email);
  const taken = await getUserByEmail(account.email);
  const takenInput = {
    name: account.name,
    gender: null,
    birthDate: null,
    email: account.email,
    password: account.password,
  };
  if (taken) {
    await storeAndDiscard(certs.files);
    const r = await registerTaken(taken, takenInput, lang);
    return { email: account.email, mailSent: r.mailSent };
  }

  const user = await createApplication(account, profile, certs.files, lang);
  if (!user) {
    // Taken meanwhile by a concurrent request: the same answer as above.
    const other = await getUserByEmail(account.email);
    if (!other) throw new Conflict("concurrent_update", "error.conflict");
    const r = await registerTaken(other, takenInput, lang);
    return { email: account.email, mailSent: r.mailSent };
  }
  const code = await issueOtp("register", user.id, account.email);
  const mailSent = await sendAccountMail("register_otp", lang, account.email, {
    name: user.name,
    code,
    minutes: OTP_MINUTES,
  });
  return { email: account.email, mailSent };
}

/**
 * Stores an application whose input is already validated: the certificate files
 * first (owned by the new account), then the pending account with its
 * credentials, the pending profile and the application in ONE atomic commit;
 * when the commit fails or throws, the files are deleted again. The building
 * block of {@link submitApplication} and the seed.
 * @returns the new pending account, or null when the e-mail was taken meanwhile
 */
export async function createApplication(
  account: { name: string; email: string; password: string },
  profile: ParsedProfileInput,
  certificates: Uint8Array[],
  lang: Lang,
): Promise<User | null> {
  const prepared = await prepareUser({
    role: "psychologist",
    name: account.name,
    email: account.email,
    lang,
    status: "pending",
    password: account.password,
  });
  const user = prepared.user;
  const saved: StoredFile[] = [];
  const kv = await getKv();
  let ok = false;
  try {
    for (const bytes of certificates) saved.push(await saveFile(bytes, "certificate", null, { ownerId: user.id }));
    const now = new Date();
    const application: Application = {
      schemaVersion: 1,
      id: newId(),
      userId: user.id,
      name: account.name,
      email: account.email,
      lang,
      certificateFileIds: saved.map((f) => f.id),
      status: "pending",
      reason: null,
      decidedBy: null,
      decidedAt: null,
      createdAt: now.toISOString(),
    };
    const op = prepared.addTo(kv.atomic());
    addProfileWrites(op, newProfile(user.id, { ...profile, name: account.name }, "pending", now), null);
    op.check({ key: K.applicationKey(application.id), versionstamp: null })
      .set(K.applicationKey(application.id), application)
      .set(K.applicationByStatusKey("pending", application.id), application.id)
      .set(K.applicationByUserKey(user.id), application.id);
    ok = (await op.commit()).ok;
    if (ok) await audit(user.id, "psychologist.apply", `application:${application.id}`, { files: saved.length });
  } finally {
    if (!ok) { for (const f of saved) await deleteFile(f.id).catch(() => {}); }
  }
  if (ok) return user;
  const conflict = await prepared.conflict();
  if (conflict.code === "email_taken") return null;
  throw conflict;
}
