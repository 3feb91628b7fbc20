import { define } from "@/lib/define.ts";
import { addSheets } from "@/lib/state.ts";

/** Every page under `/teacher` uses the front-desk stylesheet (`static/frontdesk.css`). */
export default define.middleware((ctx) => {
  addSheets(ctx.state, "frontdesk", "stars");
  return ctx.next();
});
