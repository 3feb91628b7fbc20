import { define } from "@/lib/define.ts";
import { requireRole } from "@/lib/auth/guard.ts";
import { readBody, z } from "@/lib/validation.ts";
import { enforce } from "@/lib/ratelimit.ts";
import {
  bookFromInput,
  bookingInputSchema,
  bookingListQuery,
  bookingsOf,
  bookingView,
  bookingViewSchema,
} from "@/lib/booking/http.ts";
import { AUTH, defineOpenApi, pageOf, tooManyRequests } from "@/lib/openapi/operation.ts";

const createdSchema = z.object({
  booking: bookingViewSchema,
  payment: z.object({
    orderId: z.string(),
    token: z.string().describe("Midtrans Snap token"),
    redirectUrl: z.string().describe("Snap payment page (the built-in sandbox's when MIDTRANS_ENV=builtin)"),
    grossAmount: z.int().describe("Whole rupiah"),
  }),
});

/**
 * `GET /api/bookings?status=&scope=&cursor=&limit=` — the caller's bookings (client: own; psychologist: theirs).
 * `POST /api/bookings {psychologistId, serviceId, startsAt}` — a client books a free slot → 201 `{booking, payment}`.
 */
export const handler = define.handlers({
  async GET(ctx) {
    const user = requireRole(ctx, "client", "psychologist");
    const page = await bookingsOf(user, Object.fromEntries(ctx.url.searchParams));
    return Response.json({ items: page.items.map(bookingView), cursor: page.cursor });
  },
  async POST(ctx) {
    const user = requireRole(ctx, "client");
    await enforce("booking_create", user.id);
    const { booking, payment } = await bookFromInput(user, await readBody(ctx.req));
    return Response.json({
      booking: bookingView(booking),
      payment: {
        orderId: payment.orderId,
        token: payment.snapToken,
        redirectUrl: payment.redirectUrl,
        grossAmount: payment.grossAmountIdr,
      },
    }, { status: 201 });
  },
});

/** OpenAPI description (docs/openapi.md). */
export const openapi = defineOpenApi({
  get: {
    tags: ["booking"],
    summary: "The caller's bookings (client: own; psychologist: theirs), by start time",
    description: "`scope=active` (slot-holding states, soonest first) or `history` (the rest, newest first).",
    security: AUTH,
    query: bookingListQuery,
    responses: {
      200: { description: "One page", schema: pageOf(bookingViewSchema) },
      400: "`validation_failed`, `invalid_cursor`",
      401: "Not signed in",
      403: "Role may not do this",
    },
  },
  post: {
    tags: ["booking"],
    summary: "Book a free slot and start its payment (client)",
    description: "The start must be one the slots endpoint lists (the same function accepts it). The booking " +
      "holds the slot for PAYMENT_WINDOW_MINUTES; pay at `payment.redirectUrl`.",
    security: AUTH,
    body: bookingInputSchema,
    responses: {
      201: { description: "Booked, awaiting payment", schema: createdSchema },
      400: "`validation_failed` (psychologistId, serviceId, startsAt)",
      401: "Not signed in",
      403: "Role may not do this",
      404: "`psychologist_not_found`",
      409: "`slot_taken`, `slot_unavailable`, `too_many_unpaid`",
      429: tooManyRequests(),
      503: "`payment_provider_unavailable` (the slot was released)",
    },
  },
});
