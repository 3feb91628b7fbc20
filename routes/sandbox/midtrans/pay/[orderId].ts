import { define } from "@/lib/define.ts";
import { readBody } from "@/lib/validation.ts";
import { AppError } from "@/lib/errors.ts";
import { errorBody } from "@/lib/http/errors.ts";
import { parseSandboxPay, sandboxPageUrl, sandboxPay } from "@/lib/payments/sandbox.ts";

/**
 * Builtin sandbox: `POST /sandbox/midtrans/pay/{orderId} {method, outcome}`
 * drives a payment (settlement | deny | expire) and sends the signed
 * notification. JSON in → JSON out `{order_id, transaction_status, status_code,
 * notification_status}`; a form (the payment page) → 303 to the transaction's
 * finish URL with Midtrans' query (`order_id`, `status_code`,
 * `transaction_status`), or back to the page after a deny.
 */
export const handler = define.handlers({
  async POST(ctx) {
    const isForm = !(ctx.req.headers.get("content-type") ?? "").includes("application/json");
    let result: Awaited<ReturnType<typeof sandboxPay>>;
    try {
      const { method, outcome } = parseSandboxPay(await readBody(ctx.req));
      result = await sandboxPay(ctx.params.orderId, method, outcome);
    } catch (err) {
      // A JSON caller gets a JSON error whatever its Accept header says.
      if (!isForm && err instanceof AppError) {
        return Response.json(errorBody(err, ctx.state.lang), { status: err.status });
      }
      throw err;
    }
    const { tx, delivery } = result;
    const statusCode = { settlement: "200", capture: "200", deny: "202", expire: "407" }[tx.status as string] ?? "201";
    if (!isForm) {
      return Response.json({
        order_id: tx.orderId,
        transaction_status: tx.status,
        status_code: statusCode,
        notification_status: delivery,
      });
    }
    if (tx.status === "deny" || !tx.finishUrl) {
      return ctx.redirect(`${new URL(sandboxPageUrl(tx.token)).pathname}?result=${tx.status}`, 303);
    }
    const finish = new URL(tx.finishUrl);
    finish.searchParams.set("order_id", tx.orderId);
    finish.searchParams.set("status_code", statusCode);
    finish.searchParams.set("transaction_status", tx.status);
    return ctx.redirect(finish.toString(), 303);
  },
});
