import type { Dict } from "./mod.ts";
/** Accounts, sign-in, profile, admin users. */
const dict: Dict = { id: {}, en: {} };
export default dict;
