import { createDefine } from "fresh";
import type { State } from "./state.ts";

/** Typed route/page/middleware helpers for this app (Fresh 2 `createDefine<State>()`). */
export const define = createDefine<State>();
