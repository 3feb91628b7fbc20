/**
 * Background work of payments (docs/architecture.md "Jobs"):
 *
 * - reconcile: payments still `pending` after their window ask the status API
 *   and apply its answer (a transaction Midtrans never saw becomes expired) —
 *   a queued job per payment one minute after its window, plus a catch-up
 *   cron every 5 minutes; idempotent because applying is (`applyTransaction`);
 * - the builtin sandbox's notification retries.
 */
import { getKv } from "@/lib/db/kv.ts";
import { log } from "@/lib/log.ts";
import { onCron, onJob } from "@/lib/queue.ts";
import { pendingPrefix } from "./keys.ts";
import { RECONCILE_ONE_JOB, syncPayment } from "./store.ts";
import { deliverNotification, SANDBOX_NOTIFY_JOB } from "./sandbox.ts";
import { config } from "@/lib/config.ts";
import type { PaymentEffectOverrides } from "./model.ts";

/** Most payments one reconcile run looks at (the next run continues). */
export const RECONCILE_BATCH = 200;

/** What a reconcile run did. */
export interface ReconcileResult {
  checked: number;
  applied: number;
  failed: number;
}

/**
 * Reconciles every payment still pending whose window ended before `nowMs`
 * (oldest first, at most {@link RECONCILE_BATCH}): status API → apply.
 * Errors of one payment are logged and counted, the others go on.
 * @param effects effect map for tests (default `PAYMENT_EFFECTS`)
 */
export async function reconcilePayments(
  nowMs: number = Date.now(),
  effects?: PaymentEffectOverrides,
): Promise<ReconcileResult> {
  const kv = await getKv();
  const end = [...pendingPrefix, new Date(nowMs).toISOString()];
  const due: string[] = [];
  for await (const e of kv.list<string>({ start: pendingPrefix, end }, { limit: RECONCILE_BATCH })) due.push(e.value);
  const out: ReconcileResult = { checked: due.length, applied: 0, failed: 0 };
  for (const orderId of due) {
    try {
      const r = await syncPayment(orderId, nowMs, effects);
      if (r.result === "applied") out.applied++;
    } catch (err) {
      out.failed++;
      log("warn", "payment reconcile failed", { orderId, error: String(err) });
    }
  }
  return out;
}

let registered = false;

/**
 * Registers the payment jobs with the queue: the per-payment reconcile, the
 * builtin sandbox's notification retries, and the 5-minute catch-up cron.
 * Call once from `startBackgroundJobs` (lib/jobs.ts).
 */
export function registerPaymentJobs(): void {
  if (registered) return;
  registered = true;
  onJob<{ orderId: string }>(RECONCILE_ONE_JOB, async ({ orderId }) => {
    await syncPayment(orderId);
  });
  onJob<{ orderId: string; attempt: number }>(SANDBOX_NOTIFY_JOB, async ({ orderId, attempt }) => {
    if (config.midtransEnv === "builtin") await deliverNotification(orderId, attempt);
  });
  onCron("payments-reconcile", "*/5 * * * *", async () => {
    const r = await reconcilePayments();
    if (r.checked) log("info", "payments reconciled", { ...r });
  });
}
