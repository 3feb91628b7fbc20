/**
 * The front desk (guest book) capability, PRODUCT.md §2. One import for pages
 * and routes; the parts live in the files re-exported here.
 */
export * from "./appointments.ts";
export * from "./guests.ts";
export * from "./qr_token.ts";
export * from "./qr_image.ts";
export * from "./delivery.ts";
export * from "./reviews.ts";
export * from "./reports.ts";
export * from "./time.ts";
