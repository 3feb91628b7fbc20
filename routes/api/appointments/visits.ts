import { define } from "@/lib/define.ts";
import { visitsResponse } from "@/lib/guestbook/http.ts";

/**
 * `GET /api/appointments/visits?from=YYYY-MM-DD&to=YYYY-MM-DD[&format=csv][&teacherId=]`
 * — one row per appointment of the range (at most 366 days): date, scheduled
 * time, guest, teacher, purpose, status, arrival, picked up, waiting minutes,
 * punctuality, rating. Teacher (own), receptionist, admin. 422 for bad ranges.
 */
export const handler = define.handlers({
  GET: (ctx) => visitsResponse(ctx),
});
