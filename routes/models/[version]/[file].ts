import { define } from "@/lib/define.ts";
import { modelFileResponse } from "@/lib/screening/model_files.ts";

/**
 * `GET /models/{version}/{file}` — a shipped on-device model file of the emotion screening
 * (face detector and emotion classifier, see models/README.md), immutable caching; public (the
 * files are public MIT-licensed models). Unknown version or file → 404.
 */
export const handler = define.handlers({
  GET(ctx) {
    return modelFileResponse(ctx.params.version, ctx.params.file, ctx.req);
  },
});
