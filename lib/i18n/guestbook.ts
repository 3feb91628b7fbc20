import type { Dict } from "./mod.ts";
/** Front desk / guest book. */
const dict: Dict = { id: {}, en: {} };
export default dict;
