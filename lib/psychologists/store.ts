/**
 * Psychologist profiles in Deno KV (keys in `./keys.ts`; rules in
 * docs/domain-rules.md "Psychologists and directory").
 *
 * Every write of a profile goes through {@link commitProfile}: the profile, its
 * directory card (present exactly when the psychologist is listed: verified and
 * active, `isBookable`) and the directory's change marker in ONE atomic commit
 * guarded by the profile's versionstamp, so the directory can never show a
 * profile that is not bookable, nor miss a change.
 */
import { getKv, listPage, type Page } from "@/lib/db/kv.ts";
import { newId } from "@/lib/db/ids.ts";
import { Conflict, Forbidden, NotFound } from "@/lib/errors.ts";
import { parseInput } from "@/lib/validation.ts";
import { audit } from "@/lib/audit.ts";
import type { User } from "@/lib/auth/users.ts";
import { deleteFile, getFile, ORPHAN_AFTER_MS, type StoredFile } from "@/lib/files/store.ts";
import { filesPrefix } from "@/lib/files/keys.ts";
import {
  cardOf,
  isBookable,
  type ParsedProfileInput,
  type ProfileInput,
  profileInputSchema,
  type Psychologist,
  type Service,
  type Verification,
} from "./model.ts";
import * as K from "./keys.ts";

/** The profile of psychologist `id` (their user id), or null. Any verification state. */
export async function getPsychologist(id: string): Promise<Psychologist | null> {
  if (typeof id !== "string" || id.length === 0 || id.length > 40) return null;
  const kv = await getKv();
  return (await kv.get<Psychologist>(K.psychologistKey(id))).value;
}

/** The profile of `id` when clients may see and book it (verified and active), else null. */
export async function getBookablePsychologist(id: string): Promise<Psychologist | null> {
  const p = await getPsychologist(id);
  return p && isBookable(p) ? p : null;
}

/** Several profiles by id (batches of 10, the `getMany` limit); missing ids give null. */
export async function getPsychologists(ids: string[]): Promise<(Psychologist | null)[]> {
  const kv = await getKv();
  const out: (Psychologist | null)[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const res = await kv.getMany<Psychologist[]>(ids.slice(i, i + 10).map(K.psychologistKey));
    out.push(...res.map((r) => r.value));
  }
  return out;
}

/**
 * Services of a parsed input with ids: a service keeping an id that exists in
 * `previous` keeps it (bookings refer to it); any other gets a new ULID.
 */
function withIds(input: ParsedProfileInput["services"], previous: readonly Service[]): Service[] {
  const known = new Set(previous.map((s) => s.id));
  const seen = new Set<string>();
  return input.map((s) => {
    const id = s.id && known.has(s.id) && !seen.has(s.id) ? s.id : newId();
    seen.add(id);
    return { id, type: s.type, durationMinutes: s.durationMinutes, priceIdr: s.priceIdr };
  });
}

/**
 * Adds the writes of `next` (profile, card or its removal, directory marker) to
 * `op`, guarded by the profile's current versionstamp (`null` = must not exist).
 * Exported for the application and review flows, which commit a profile
 * together with their own records.
 */
export function addProfileWrites(
  op: Deno.AtomicOperation,
  next: Psychologist,
  versionstamp: string | null,
): Deno.AtomicOperation {
  op.check({ key: K.psychologistKey(next.id), versionstamp }).set(K.psychologistKey(next.id), next);
  if (isBookable(next)) op.set(K.cardKey(next.id), cardOf(next));
  else op.delete(K.cardKey(next.id));
  return op.set(K.directoryVersionKey(), newId());
}

/**
 * Reads the profile of `id`, applies `change` and commits (optimistic, retried up
 * to 5 times on a concurrent write).
 * @throws NotFound `psychologist_not_found`; Conflict `concurrent_update`; whatever `change` throws
 */
export async function commitProfile(
  id: string,
  change: (cur: Psychologist) => Psychologist,
): Promise<Psychologist> {
  const kv = await getKv();
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await kv.get<Psychologist>(K.psychologistKey(id));
    if (!cur.value) throw new NotFound("psychologist_not_found", "psy.error.not_found");
    const next = { ...change(cur.value), id, updatedAt: new Date().toISOString() };
    if ((await addProfileWrites(kv.atomic(), next, cur.versionstamp).commit()).ok) return next;
  }
  throw new Conflict("concurrent_update", "error.conflict");
}

/**
 * A new profile record for account `userId` from a parsed input (nothing stored).
 * @param verification `pending` (an application) or `verified` (created by an admin or the seed)
 */
export function newProfile(
  userId: string,
  input: ParsedProfileInput,
  verification: Verification,
  now: Date = new Date(),
): Psychologist {
  const at = now.toISOString();
  return {
    schemaVersion: 1,
    id: userId,
    name: input.name,
    title: input.title,
    photoFileId: null,
    specialisations: input.specialisations,
    education: input.education,
    licenceNumber: input.licenceNumber,
    practicePlace: input.practicePlace,
    yearsOfExperience: input.yearsOfExperience,
    languages: input.languages,
    bio: input.bio,
    services: withIds(input.services, []),
    verification,
    verifiedAt: verification === "verified" ? at : null,
    active: true,
    ratingSum: 0,
    ratingCount: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Creates the profile of the psychologist account `userId` (one commit with its
 * directory card). The building block of the admin's "create a verified
 * psychologist", the seed and tests.
 * @param input a {@link ProfileInput} (validated here; services without id get one)
 * @param opts.verification default `pending`; `verified` lists it at once
 * @param opts.photoFileId a stored `psychologist_photo`
 * @throws ValidationError (input), Conflict `profile_exists`
 * @example
 * ```ts
 * const user = await makeUser("psychologist");
 * const p = await createPsychologistProfile(user.id, {
 *   name: user.name, licenceNumber: "SIPP 0123-18-2-1", yearsOfExperience: 5,
 *   specialisations: ["anxiety"], languages: ["id"],
 *   services: [{ type: "video", durationMinutes: 50, priceIdr: 250_000 }],
 * }, { verification: "verified" });
 * p.services[0].id; // a ULID
 * ```
 */
export async function createPsychologistProfile(
  userId: string,
  input: ProfileInput,
  opts: { verification?: Verification; photoFileId?: string | null; now?: Date } = {},
): Promise<Psychologist> {
  const parsed = parseInput(profileInputSchema, input);
  const p = newProfile(userId, parsed, opts.verification ?? "pending", opts.now);
  p.photoFileId = opts.photoFileId ?? null;
  const kv = await getKv();
  const res = await addProfileWrites(kv.atomic(), p, null).commit();
  if (!res.ok) throw new Conflict("profile_exists", "psy.error.profile_exists");
  return p;
}

/** True when `actor` may edit the profile `id`: the psychologist themself or an admin (both active). */
function mayEdit(actor: User, id: string): boolean {
  if (actor.status !== "active") return false;
  return actor.role === "admin" || (actor.role === "psychologist" && actor.id === id);
}

/**
 * Replaces the editable fields of profile `id` (the editor). Services keep their
 * ids when the input names them; removed services disappear (bookings keep their
 * own copy of what was booked). Audited when an admin edits someone else's profile.
 * A verified profile whose `name` or `licenceNumber` changes goes back to
 * verification `pending` (delisted and not bookable until an admin verifies it
 * again with `verifyProfile`; existing bookings stay): the admin verified that
 * licence for that name (docs/domain-rules.md "Psychologists and directory").
 * @throws Forbidden (not the owner or an admin), NotFound, ValidationError
 */
export async function updatePsychologistProfile(
  actor: User,
  id: string,
  input: unknown,
): Promise<Psychologist> {
  if (!mayEdit(actor, id)) throw new Forbidden();
  const parsed = parseInput(profileInputSchema, input);
  const next = await commitProfile(id, (cur) => ({
    ...cur,
    ...(cur.verification === "verified" &&
        (cur.name !== parsed.name || cur.licenceNumber !== parsed.licenceNumber)
      ? { verification: "pending" as const, verifiedAt: null }
      : {}),
    name: parsed.name,
    title: parsed.title,
    specialisations: parsed.specialisations,
    education: parsed.education,
    licenceNumber: parsed.licenceNumber,
    practicePlace: parsed.practicePlace,
    yearsOfExperience: parsed.yearsOfExperience,
    languages: parsed.languages,
    bio: parsed.bio,
    services: withIds(parsed.services, cur.services),
  }));
  if (actor.id !== id) await audit(actor.id, "psychologist.update", `user:${id}`, {});
  return next;
}

/**
 * Sets (or clears, with null) the photo of profile `id`: a stored public
 * `psychologist_photo` file. The photo it replaces is deleted from the file store
 * when it is a `psychologist_photo` owned by the psychologist (public files must not
 * pile up unreferenced; docs/domain-rules.md "Files").
 * @throws Forbidden, NotFound
 */
export async function setPsychologistPhoto(actor: User, id: string, fileId: string | null): Promise<Psychologist> {
  if (!mayEdit(actor, id)) throw new Forbidden();
  let previous: string | null = null;
  const next = await commitProfile(id, (cur) => {
    previous = cur.photoFileId;
    return { ...cur, photoFileId: fileId };
  });
  const old = previous && previous !== fileId ? await getFile(previous) : null;
  if (old && old.kind === "psychologist_photo" && old.ownerId === id) await deleteFile(old.id).catch(() => {});
  return next;
}

/**
 * Deactivates (`active` false: hidden from the directory and not bookable;
 * existing bookings stay) or reactivates a psychologist. Admins only; audited as
 * `psychologist.deactivate` / `psychologist.reactivate`. Idempotent.
 * @throws Forbidden, NotFound
 */
export async function setPsychologistActive(actor: User, id: string, active: boolean): Promise<Psychologist> {
  if (actor.role !== "admin" || actor.status !== "active") throw new Forbidden();
  const before = await getPsychologist(id);
  if (!before) throw new NotFound("psychologist_not_found", "psy.error.not_found");
  if (before.active === active) return before;
  const next = await commitProfile(id, (cur) => ({ ...cur, active }));
  await audit(actor.id, active ? "psychologist.reactivate" : "psychologist.deactivate", `user:${id}`, {});
  return next;
}

/**
 * Every profile (any state), in id order, cursor-paginated (admin list; `limit` 1..100).
 * @throws BadRequest `invalid_cursor`
 */
export async function listPsychologists(
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<Page<Psychologist>> {
  const kv = await getKv();
  return await listPage<Psychologist>(kv, { prefix: K.psychologistsPrefix() }, {
    cursor: opts.cursor,
    limit: Math.min(100, Math.max(1, Math.trunc(opts.limit ?? 50))),
  });
}

/**
 * Deletes `psychologist_photo` files that no profile refers to and that are older
 * than `ORPHAN_AFTER_MS` (1 hour) at `now`: uploads through `POST /api/files` that
 * were never set as a photo (public files must not pile up as free hosting;
 * docs/domain-rules.md "Files"). Reads every file's metadata and every profile once;
 * run by the daily job. Returns how many files were deleted.
 */
export async function sweepUnreferencedPhotos(now: Date = new Date()): Promise<number> {
  const kv = await getKv();
  const used = new Set<string>();
  for await (const e of kv.list<Psychologist>({ prefix: K.psychologistsPrefix() })) {
    if (e.value.photoFileId) used.add(e.value.photoFileId);
  }
  const stale: string[] = [];
  for await (const e of kv.list<StoredFile>({ prefix: filesPrefix() })) {
    const f = e.value;
    if (f.kind !== "psychologist_photo" || used.has(f.id)) continue;
    if (now.getTime() - Date.parse(f.createdAt) >= ORPHAN_AFTER_MS) stale.push(f.id);
  }
  for (const id of stale) await deleteFile(id).catch(() => {});
  return stale.length;
}
