import { define } from "@/lib/define.ts";
import { getKv } from "@/lib/db/kv.ts";
import { VERSION } from "@/lib/version.ts";

/** Liveness/readiness: 200 `{ok:true}` when KV answers, 503 otherwise. */
export const handler = define.handlers({
  async GET() {
    try {
      const kv = await getKv();
      await kv.get(["healthz"]);
      return Response.json({ ok: true, version: VERSION });
    } catch {
      return Response.json({ ok: false }, { status: 503 });
    }
  },
});
