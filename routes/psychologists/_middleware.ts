import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";

/** Every page under `/psychologists` uses the psychologists stylesheet (`static/psychologists.css`). */
export default define.middleware((ctx) => {
  addSheets(ctx.state, "psychologists");
  return ctx.next();
});
