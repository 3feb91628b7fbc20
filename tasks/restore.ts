/**
 * `deno task restore FILE [--force]`: restores a backup written by
 * `deno task backup` into the database (`DENO_KV_PATH`). The file is checked
 * completely first. The database must be empty; `--force` deletes everything in
 * it first. Stop the app while restoring.
 * Exit codes: 0 restored, 1 refused/failed, 2 usage.
 */
import { parseArgs } from "node:util";
import { restoreKv } from "@/lib/backup.ts";
import { closeKv } from "@/lib/db/kv.ts";

const USAGE = "usage: deno task restore FILE [--force]";

/** Runs the command with `args`; returns the exit code (for tests). */
export async function main(args: string[]): Promise<number> {
  let file: string;
  let force = false;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { force: { type: "boolean" }, help: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new Error("exactly one FILE expected");
    file = positionals[0];
    force = values.force === true;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const { entries } = await restoreKv(file, { force });
    console.log(`restored ${entries} entries from ${file}`);
    return 0;
  } catch (err) {
    console.error(`restore refused: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await main(Deno.args);
  closeKv();
  Deno.exit(code);
}
