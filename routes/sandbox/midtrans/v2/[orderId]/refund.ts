import { define } from "@/lib/define.ts";
import { sandboxRefund } from "@/lib/payments/sandbox.ts";

/** Builtin sandbox: Core API `POST /v2/{order_id}/refund {refund_key?, amount?, reason?}` (Basic auth). */
export const handler = define.handlers({
  async POST(ctx) {
    return await sandboxRefund(ctx.req, ctx.params.orderId);
  },
});
