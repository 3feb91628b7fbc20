/**
 * Append-only audit log: admin actions on accounts and staff reads of other
 * people's sensitive records (docs/domain-rules.md "Qualities every part keeps", docs/architecture.md "Security baseline").
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
/** Top-level KV key prefixes owned by the audit log (see the key layout above). */
export const AUDIT_PREFIXES: readonly string[] = ["audit", "audit_by_actor", "audit_by_target"];

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

/** An audit entry as the admin page shows it: every part translated. */
export interface AuditView {
  /** Translated action, e.g. "Akun dinonaktifkan" (the raw code when unknown). */
  action: string;
  /** The raw action code (shown small, for searching the logs). */
  code: string;
  /** Actor's name, "Baris perintah"/"Sistem", or the raw id. */
  actor: string;
  actorHref: string | null;
  /** Target's kind and name, e.g. "Pengguna: Budi". */
  target: string;
  targetHref: string | null;
  /** Details as label/value pairs, translated where the key is known. */
  details: [string, string][];
}

/**
 * Where an audit target lives in the admin UI: users → `/admin/users/{id}`, appointments → their
 * page, payments (by Midtrans order id) → `/admin/transactions/{orderId}`.
 */
export function auditTargetHref(target: string): string | null {
  const [kind, id] = target.split(":", 2);
  if (kind === "payment" && id && /^[A-Za-z0-9\-_~.]{1,50}$/.test(id)) return `/admin/transactions/${id}`;
  if (!id || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return null;
  if (kind === "user") return `/admin/users/${id}`;
  if (kind === "appointment") return `/teacher/appointments/${id}`;
  return null;
}

/**
 * Turns an entry into its translated view. `t` is the page's translator;
 * `names` maps user ids (actors and `user:` targets) to display names.
 * Keys: `admin.audit.action.<action>`, `admin.audit.target.<kind>`,
 * `admin.audit.meta.<key>`, `admin.audit.field.<field>`, `role.<role>`.
 */
export function describeAudit(
  e: AuditEntry,
  t: (key: string, params?: Record<string, string | number>) => string,
  names: Record<string, string>,
): AuditView {
  const tr = (key: string, fallback: string) => {
    const s = t(key);
    return s === key ? fallback : s;
  };
  const [kind, id] = e.target.split(":", 2);
  const kindLabel = tr(`admin.audit.target.${kind}`, kind);
  const targetName = id ? (kind === "user" ? names[id] ?? id : id) : e.target;
  const value = (k: string, v: unknown): string => {
    if (typeof v === "boolean") return t(v ? "common.yes" : "common.no");
    if (k === "role" && typeof v === "string") return tr(`role.${v}`, v);
    if (k === "fields" && Array.isArray(v)) return v.map((f) => tr(`admin.audit.field.${f}`, String(f))).join(", ");
    if (v === null || v === undefined) return "—";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  };
  const actorIsUser = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(e.actorId);
  return {
    action: tr(`admin.audit.action.${e.action}`, e.action),
    code: e.action,
    actor: actorIsUser ? names[e.actorId] ?? e.actorId : tr(`admin.audit.actor.${e.actorId}`, e.actorId),
    actorHref: actorIsUser ? `/admin/users/${e.actorId}` : null,
    target: id ? `${kindLabel}: ${targetName}` : e.target,
    targetHref: auditTargetHref(e.target),
    details: Object.entries(e.meta ?? {}).map(([k, v]) => [tr(`admin.audit.meta.${k}`, k), value(k, v)]),
  };
}
