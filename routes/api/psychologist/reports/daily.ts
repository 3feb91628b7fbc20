import { reportHandlers, reportOpenApi } from "@/lib/workspace/report_route.ts";

/**
 * `GET /api/psychologist/reports/daily?date=&format=json|csv` (psychologist, own only) — the bookings starting in one local day (TIME_ZONE),
 * a summary and a per-day breakdown; `format=csv` → a `text/csv` download in the request's language.
 */
export const handler = reportHandlers("daily");

/** OpenAPI description (docs/openapi.md). */
export const openapi = reportOpenApi("daily");
