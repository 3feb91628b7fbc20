/**
 * Psychologist profiles in Deno KV (keys in `./keys.ts`).
 */
import { getKv } from "@/lib/db/kv.ts";
import type { Psychologist } from "./model.ts";
import * as K from "./keys.ts";

/** The profile of psychologist `id` (their user id), or null. Any verification state. */
export async function getPsychologist(id: string): Promise<Psychologist | null> {
  const kv = await getKv();
  return (await kv.get<Psychologist>(K.psychologistKey(id))).value;
}
