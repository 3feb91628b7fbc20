/**
 * The front desk (guest book) capability. One import for pages
 * and routes; the parts live in the files re-exported here.
 */
export * from "./model.ts";
export * from "./store.ts";
export * from "./create.ts";
export * from "./check_in.ts";
export * from "./status.ts";
export * from "./guests.ts";
export * from "./qr_token.ts";
export * from "./qr_image.ts";
export * from "./delivery.ts";
export * from "./reviews.ts";
export * from "./reports.ts";
export * from "./time.ts";
