import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";
import { requireSandbox } from "@/lib/payments/sandbox.ts";

/** The builtin Midtrans sandbox exists only with `MIDTRANS_ENV=builtin` (404 otherwise). */
export default define.middleware((ctx) => {
  requireSandbox();
  addSheets(ctx.state, "payments");
  return ctx.next();
});
