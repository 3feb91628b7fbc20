/**
 * The admin console home: one card per admin area with a live count. The
 * list is {@link ADMIN_AREAS} — to add an area, append one entry (its link,
 * dictionary keys and a `count` that reads one key range); the page renders
 * every entry in order and counts them concurrently.
 */
import { getKv } from "@/lib/db/kv.ts";
import { idAt } from "@/lib/db/ids.ts";
import { countUsersByRole } from "@/lib/auth/admin.ts";
import { applicationsByStatusPrefix } from "@/lib/psychologists/keys.ts";
import { ARTICLES_PREFIX } from "@/lib/articles/keys.ts";
import { getActiveStimulusSet } from "@/lib/screening/stimuli.ts";
import { BY_TIME_PREFIX as REVIEWS_BY_TIME_PREFIX } from "@/lib/reviews/keys.ts";
import { formatIdr } from "@/lib/i18n/format.ts";
import type { Lang } from "@/lib/i18n/mod.ts";
import { addDays } from "@/lib/guestbook/time.ts";
import { countActiveUsers } from "./activity.ts";
import { countRefundsDue, guestVisits } from "./stats.ts";
import { financeReport } from "./finance.ts";
import { localDateOfMs, localYearOf } from "./time.ts";

/** What a card's count is measured at: the clock and the page language (for money). */
export interface CountContext {
  nowMs: number;
  lang: Lang;
}

/** One admin area on the console home. */
export interface AdminArea {
  /** Stable id (test ids, ordering). */
  id: string;
  href: string;
  /** Dictionary key of the card title. */
  titleKey: string;
  /** Dictionary key of the line under the count (what is counted). */
  detailKey: string;
  /** The live figure, already formatted for display. */
  count: (c: CountContext) => Promise<string>;
}

/** Keys under `prefix`, counted in batches of 1000 (values are read by KV but not kept). */
async function countPrefix(selector: Deno.KvListSelector): Promise<number> {
  const kv = await getKv();
  let n = 0;
  for await (const _ of kv.list(selector, { batchSize: 1000 })) n++;
  return n;
}

const num = (n: number) => String(n);
const DAY = 86_400_000;

/** The admin areas, in display order (see the module comment). */
export const ADMIN_AREAS: AdminArea[] = [
  {
    id: "users",
    href: "/admin/users",
    titleKey: "admin.home.users",
    detailKey: "admin.home.users_detail",
    count: async () => num(Object.values(await countUsersByRole()).reduce((a, b) => a + b, 0)),
  },
  {
    id: "applications",
    href: "/admin/psychologists/applications",
    titleKey: "admin.home.applications",
    detailKey: "admin.home.applications_detail",
    count: async () => num(await countPrefix({ prefix: applicationsByStatusPrefix("pending") })),
  },
  {
    id: "psychologists",
    href: "/admin/psychologists",
    titleKey: "admin.home.psychologists",
    detailKey: "admin.home.psychologists_detail",
    count: async () => num((await countUsersByRole()).psychologist),
  },
  {
    id: "articles",
    href: "/admin/articles",
    titleKey: "admin.home.articles",
    detailKey: "admin.home.articles_detail",
    count: async () => num(await countPrefix({ prefix: ARTICLES_PREFIX })),
  },
  {
    id: "reviews",
    href: "/admin/reviews",
    titleKey: "review.admin.title",
    detailKey: "admin.home.reviews_detail",
    count: async () => num(await countPrefix({ prefix: REVIEWS_BY_TIME_PREFIX })),
  },
  {
    id: "screening",
    href: "/admin/screening",
    titleKey: "screening.admin.card",
    detailKey: "admin.home.screening_detail",
    count: async () => `v${(await getActiveStimulusSet()).version}`,
  },
  {
    id: "audit",
    href: "/admin/audit",
    titleKey: "admin.home.audit",
    detailKey: "admin.home.audit_detail",
    count: async ({ nowMs }) => {
      const from = idAt(Math.min(Date.now(), nowMs) - 30 * DAY).slice(0, 10) + "0".repeat(16);
      return num(await countPrefix({ start: ["audit", from], end: ["audit", "\uffff"] }));
    },
  },
  {
    id: "transactions",
    href: "/admin/transactions",
    titleKey: "admin.home.transactions",
    detailKey: "admin.home.transactions_detail",
    count: async () => num(await countRefundsDue()),
  },
  {
    id: "finance",
    href: "/admin/finance",
    titleKey: "admin.home.finance",
    detailKey: "admin.home.finance_detail",
    count: async ({ nowMs, lang }) => {
      const r = await financeReport(localYearOf(nowMs));
      const month = localDateOfMs(nowMs).slice(0, 7);
      return formatIdr(r.months.find((m) => m.month === month)?.grossIdr ?? 0, lang);
    },
  },
  {
    id: "stats",
    href: "/admin/stats",
    titleKey: "admin.home.stats",
    detailKey: "admin.home.stats_detail",
    count: async ({ nowMs }) => num(await countActiveUsers(nowMs)),
  },
  {
    id: "frontdesk",
    href: "/frontdesk/reports",
    titleKey: "admin.home.frontdesk",
    detailKey: "admin.home.frontdesk_detail",
    count: async ({ nowMs }) => {
      const today = localDateOfMs(nowMs);
      return num((await guestVisits(addDays(today, -29), today)).visits);
    },
  },
];

/** Every area with its count at `c` (counted concurrently). */
export async function adminCards(c: CountContext): Promise<(Omit<AdminArea, "count"> & { value: string })[]> {
  return await Promise.all(ADMIN_AREAS.map(async ({ count, ...a }) => ({ ...a, value: await count(c) })));
}
