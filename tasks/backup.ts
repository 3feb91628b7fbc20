/**
 * `deno task backup [--dir DIR]`: writes a backup of the whole database
 * (`DENO_KV_PATH`) to `DIR` (default `BACKUP_DIR`, `./backups`), removes backups
 * older than 30 days there, and prints the new file's path on stdout.
 * Exit codes: 0 written, 1 failed, 2 usage. Format: `lib/backup.ts`.
 */
import { parseArgs } from "node:util";
import { backupKv } from "@/lib/backup.ts";
import { config } from "@/lib/config.ts";
import { closeKv } from "@/lib/db/kv.ts";

const USAGE = "usage: deno task backup [--dir DIR]";

/** Runs the command with `args`; returns the exit code (for tests). */
export async function main(args: string[]): Promise<number> {
  let dir: string;
  try {
    const { values } = parseArgs({
      args,
      options: { dir: { type: "string" }, help: { type: "boolean" } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    dir = values.dir ?? config.backupDir;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const { path, entries, bytes } = await backupKv(dir);
    console.error(`backup: ${entries} entries, ${bytes} bytes`);
    console.log(path);
    return 0;
  } catch (err) {
    console.error(`backup failed: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  closeKv();
  Deno.exit(code);
}
