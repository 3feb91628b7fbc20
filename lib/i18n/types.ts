/**
 * Types shared by the translation module (`mod.ts`) and the dictionaries
 * (`core.ts`, `auth.ts`, …). They live apart so that a dictionary imports only
 * types and never the module that imports it (no `mod ↔ dictionary` cycle).
 */

/** Supported UI languages. */
export type Lang = "id" | "en";

/** A dictionary part: same keys in both languages; values may hold `{name}` placeholders. */
export type Dict = Record<Lang, Record<string, string>>;

/** Interpolation parameters of a message: placeholder name → value. */
export type Params = Record<string, string | number>;

/** A bound translator: `t("key", { name: "Ani" })`. */
export type T = (key: string, params?: Params) => string;
