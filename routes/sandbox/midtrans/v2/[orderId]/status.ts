import { define } from "@/lib/define.ts";
import { sandboxStatus } from "@/lib/payments/sandbox.ts";

/** Builtin sandbox: Core API `GET /v2/{order_id}/status` (Basic auth). */
export const handler = define.handlers({
  async GET(ctx) {
    return await sandboxStatus(ctx.req, ctx.params.orderId);
  },
});
