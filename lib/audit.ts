/**
 * Append-only audit log: admin actions on accounts and staff reads of other
 * people's sensitive records (PRODUCT.md §9, DESIGN.md "Security baseline").
 *
 * Key layout:
 * - `["audit", id]` → `AuditEntry` (id is a ULID, so listing is in time order)
 * - `["audit_by_actor", actorId, id]` → id
 * - `["audit_by_target", target, id]` → id
 *
 * Entries are never updated or deleted by the application.
 */
import { getKv, listPage, type Page } from "./db/kv.ts";
import { newId } from "./db/ids.ts";

/** One audit record. `at` is an ISO 8601 UTC instant. */
export interface AuditEntry {
  schemaVersion: 1;
  id: string;
  at: string;
  /** User id of whoever acted, or `"system"` / `"cli"`. */
  actorId: string;
  /** Dotted action name, e.g. `user.create`, `user.deactivate`, `notes.read`. */
  action: string;
  /** What was acted on, e.g. `user:01J…` or `booking:01J…`. */
  target: string;
  /** Small structured details (never secrets, passwords or codes). */
  meta: Record<string, unknown>;
}

/** Largest serialized `meta` kept (bytes); longer ones are replaced by a note. */
const MAX_META_BYTES = 4096;

/**
 * Appends an entry and returns it. Writes the entry and its two indexes in one
 * atomic commit.
 */
export async function audit(
  actorId: string,
  action: string,
  target: string,
  meta: Record<string, unknown> = {},
): Promise<AuditEntry> {
  const kv = await getKv();
  let safeMeta = meta;
  if (JSON.stringify(meta).length > MAX_META_BYTES) {
    safeMeta = { truncated: true };
  }
  const entry: AuditEntry = {
    schemaVersion: 1,
    id: newId(),
    at: new Date().toISOString(),
    actorId: String(actorId).slice(0, 100),
    action: String(action).slice(0, 100),
    target: String(target).slice(0, 200),
    meta: safeMeta,
  };
  await kv.atomic()
    .check({ key: ["audit", entry.id], versionstamp: null })
    .set(["audit", entry.id], entry)
    .set(["audit_by_actor", entry.actorId, entry.id], entry.id)
    .set(["audit_by_target", entry.target, entry.id], entry.id)
    .commit();
  return entry;
}

/**
 * Lists audit entries, newest first, cursor-paginated (`limit` 1..100).
 * With `actorId` or `target`, lists only that actor's / target's entries.
 * @throws BadRequest `invalid_cursor` for a malformed cursor.
 */
export async function listAudit(
  opts: {
    cursor?: string | null;
    limit?: number;
    actorId?: string;
    target?: string;
  } = {},
): Promise<Page<AuditEntry>> {
  const kv = await getKv();
  if (opts.actorId || opts.target) {
    const prefix = opts.actorId ? ["audit_by_actor", opts.actorId] : ["audit_by_target", opts.target!];
    const page = await listPage<string>(kv, { prefix }, {
      cursor: opts.cursor,
      limit: opts.limit,
      reverse: true,
    });
    const items: AuditEntry[] = [];
    for (let i = 0; i < page.items.length; i += 10) {
      const res = await kv.getMany<AuditEntry[]>(
        page.items.slice(i, i + 10).map((id) => ["audit", id]),
      );
      for (const r of res) if (r.value) items.push(r.value);
    }
    return { items, cursor: page.cursor };
  }
  return await listPage<AuditEntry>(kv, { prefix: ["audit"] }, {
    cursor: opts.cursor,
    limit: opts.limit,
    reverse: true,
  });
}
