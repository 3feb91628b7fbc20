import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";

/** The client's payment pages use the payments stylesheet (`static/payments.css`). */
export default define.middleware((ctx) => {
  addSheets(ctx.state, "payments");
  return ctx.next();
});
