import { define } from "@/lib/define.ts";
import { sandboxCreateSnap } from "@/lib/payments/sandbox.ts";

/**
 * Builtin sandbox: Snap `POST /snap/v1/transactions` (Basic auth with the
 * server key) → 201 `{token, redirect_url}` or Snap's `{error_messages}`.
 */
export const handler = define.handlers({
  async POST(ctx) {
    return await sandboxCreateSnap(ctx.req);
  },
});
