/**
 * `deno task seed`: fills the database (DENO_KV_PATH) with the demo data set.
 * Idempotent: running it twice changes nothing the second time. Prints what
 * it created or found.
 */
import { seedAccounts, seededLine } from "@/lib/seed/accounts.ts";
import { seedGuestbook } from "@/lib/seed/guestbook.ts";
import { seedArticles } from "@/lib/seed/articles.ts";
import { seedPsychologists } from "@/lib/seed/psychologists.ts";
import { seedAvailability } from "@/lib/seed/availability.ts";
import { seedBookings } from "@/lib/seed/bookings.ts";
import { seedHistory } from "@/lib/seed/history.ts";
import { seedScreenings } from "@/lib/seed/screenings.ts";
import { config } from "@/lib/config.ts";

/** Seeds every capability in dependency order; returns printable lines. */
export async function seedAll(): Promise<string[]> {
  const lines: string[] = [];
  lines.push(...(await seedAccounts()).map(seededLine));
  lines.push(...await seedGuestbook());
  lines.push(...await seedArticles());
  const psychologists = await seedPsychologists();
  lines.push(...psychologists.lines);
  lines.push(...await seedAvailability(psychologists.ids));
  lines.push(...await seedBookings());
  lines.push(...await seedHistory());
  lines.push(...await seedScreenings());
  return lines;
}

if (import.meta.main) {
  const lines = await seedAll();
  console.log(`Demo data (password for every demo account: ${config.seedPassword})`);
  for (const l of lines) console.log(`  ${l}`);
}
