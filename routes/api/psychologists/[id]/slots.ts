import { define } from "@/lib/define.ts";
import { NotFound, ValidationError } from "@/lib/errors.ts";
import { parseInput, z } from "@/lib/validation.ts";
import { getBookablePsychologist } from "@/lib/psychologists/store.ts";
import { loadSlotInput } from "@/lib/availability/store.ts";
import { freeSlots } from "@/lib/availability/slots.ts";
import { slotsQuery, slotView, slotWindow } from "@/lib/availability/view.ts";
import { slotViewSchema } from "@/lib/availability/model.ts";
import { defineOpenApi } from "@/lib/openapi/operation.ts";
import { clientIp, enforce } from "@/lib/ratelimit.ts";

/**
 * `GET /api/psychologists/{id}/slots?serviceId=&from=&to=&tz=&limit=` (public) → `{ slots,
 * timeZone, next }`: the free slots of one service of a bookable psychologist,
 * computed by the same function the booking path checks with. At most `limit`
 * (default 200, ≤ 500) slots, computed only that far (`freeSlots` `maxCount`);
 * `next` is the start of the first slot left out (pass it as `from`), null
 * when none was. Rate-limited per client IP (`slots_ip`, docs/domain-rules.md
 * "Availability"). 404 for a psychologist who is not verified and active.
 */
export const handler = define.handlers({
  async GET(ctx) {
    await enforce("slots_ip", clientIp(ctx));
    const q = parseInput(slotsQuery, Object.fromEntries(ctx.url.searchParams));
    const nowMs = Date.now();
    const { fromMs, toMs, timeZone } = slotWindow(q, nowMs);
    const p = await getBookablePsychologist(ctx.params.id);
    if (!p) throw new NotFound("psychologist_not_found", "avail.not_bookable");
    const service = p.services.find((s) => s.id === q.serviceId);
    if (!service) throw new ValidationError({ serviceId: "avail.error.service" });
    const input = await loadSlotInput(p.id, service, nowMs, fromMs, toMs);
    const slots = freeSlots({ ...input, maxCount: q.limit + 1 });
    const next = slots.length > q.limit ? slotView(slots[q.limit], timeZone).startsAt : null;
    return Response.json({ timeZone, slots: slots.slice(0, q.limit).map((s) => slotView(s, timeZone)), next });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["availability"],
    summary: "Free slots of one service of a psychologist",
    path: z.object({ id: z.string().max(40).describe("Psychologist id (their user id)") }),
    query: slotsQuery,
    responses: {
      200: {
        description: "Free slots, sorted, with offsets of `timeZone`; at most `limit`",
        schema: z.object({
          timeZone: z.string(),
          slots: z.array(slotViewSchema),
          next: z.string().nullable().describe(
            "Start of the first free slot left out by `limit` (use it as `from` for the next page); null when none",
          ),
        }),
      },
      400: "`validation_failed`: `serviceId` (`avail.error.service`), `from`/`to` (`field.invalid_date`, " +
        "`field.date_out_of_range`, `avail.error.span`), `tz` (`avail.error.time_zone`), `limit` (`field.invalid_number`)",
      429: "`rate_limited`: more than 120 queries a minute from one address (`Retry-After`)",
      404: "`psychologist_not_found` (also unverified or deactivated)",
    },
  },
});
