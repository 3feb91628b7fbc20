import { reportHandlers, reportOpenApi } from "@/lib/workspace/report_route.ts";

/**
 * `GET /api/psychologist/reports/weekly?date=&format=json|csv` (psychologist, own only) — the bookings starting in the ISO week (Monday–Sunday) holding the date (TIME_ZONE),
 * a summary and a per-day breakdown; `format=csv` → a `text/csv` download in the request's language.
 */
export const handler = reportHandlers("weekly");

/** OpenAPI description (docs/openapi.md). */
export const openapi = reportOpenApi("weekly");
