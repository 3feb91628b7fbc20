/**
 * Process plumbing for `deno task start`.
 *
 * `npx deno task start` runs the server five processes deep (npm → `sh -c` →
 * node running Deno's npm shim → `deno task` → the shim again → `deno run`),
 * and the shim waits for Deno with `spawnSync`, so a SIGTERM sent to the npx
 * process ends npm and the shell but leaves the server running, re-parented
 * to init (measured on Deno 2.9.5 / npm 10). Ctrl-C reaches every process of
 * the terminal's foreground group and needs nothing extra.
 * {@link stopWhenLauncherExits} closes that gap by watching the launcher
 * processes above the server.
 *
 * {@link raiseOpenFileLimit} lifts the soft open-files limit to the hard one
 * (each HTTP connection holds one descriptor; many systems default to 1024).
 * Linux only: both read `/proc`; elsewhere they do nothing.
 */
import { openFileLimit } from "@/lib/http/listen.ts";

/** Soft limit used when the hard limit is unlimited. */
const UNLIMITED_SOFT = 65_536;

/**
 * Raises this process's soft `RLIMIT_NOFILE` to its hard limit with
 * util-linux `prlimit --pid <self>` (raising the soft limit up to the hard
 * one needs no privilege). Returns the soft limit afterwards (read back from
 * `/proc/self/limits`), or null when it is unknown (not Linux).
 */
export async function raiseOpenFileLimit(): Promise<number | null> {
  const before = openFileLimit();
  if (!before) return null;
  const target = before.hard ?? Math.max(before.soft, UNLIMITED_SOFT);
  if (before.soft >= target) return before.soft;
  try {
    await new Deno.Command("prlimit", {
      args: ["--pid", String(Deno.pid), `--nofile=${target}:${before.hard ?? "unlimited"}`],
      stdout: "null",
      stderr: "null",
    }).output();
  } catch { /* prlimit not installed */ }
  return openFileLimit()?.soft ?? before.soft;
}

interface ProcInfo {
  ppid: number;
  /** Start time in clock ticks since boot: tells a reused pid apart. */
  start: string;
  state: string;
}

function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // "pid (comm) state ppid … starttime(22nd field)"; comm may hold spaces.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: f[0], ppid: Number(f[1]), start: f[19] };
  } catch {
    return null;
  }
}

function argv(pid: number): string[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter((a) => a !== "");
  } catch {
    return [];
  }
}

const LAUNCHERS = new Set(["deno", "node", "nodejs", "npm", "npx"]);
const SHELLS = new Set(["sh", "bash", "dash"]);

/**
 * True for a process that only exists to launch us: deno, node, npm or npx
 * (npm renames itself to "npm exec …"), or a shell run with `-c`. An
 * interactive shell or a service manager is not one, so `nohup` and systemd
 * keep working.
 */
export function isLauncher(args: string[]): boolean {
  if (args.length === 0) return false;
  const name = (args[0].split(" ")[0].split("/").pop() ?? "").toLowerCase();
  if (LAUNCHERS.has(name)) return true;
  return SHELLS.has(name) && args[1] === "-c";
}

/**
 * The launcher processes above this one (nearest first), each with its
 * start time: the walk up the parent chain stops at the first process that
 * is not a launcher, or at pid 1.
 */
export function launcherChain(): { pid: number; start: string }[] {
  const chain: { pid: number; start: string }[] = [];
  let pid = Deno.ppid;
  for (let depth = 0; depth < 16 && pid > 1; depth++) {
    const info = procInfo(pid);
    if (!info || !isLauncher(argv(pid))) break;
    chain.push({ pid, start: info.start });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Calls `onExit` once when any process of {@link launcherChain} (taken now)
 * ends, checked every `everyMs`; the check does not keep the process alive.
 * Returns a function that stops watching.
 */
export function stopWhenLauncherExits(onExit: () => void, everyMs = 1000): () => void {
  const chain = launcherChain();
  if (chain.length === 0) return () => {};
  const id = setInterval(() => {
    const gone = chain.some(({ pid, start }) => {
      const info = procInfo(pid);
      return !info || info.start !== start || info.state === "Z";
    });
    if (gone) {
      clearInterval(id);
      onExit();
    }
  }, everyMs);
  Deno.unrefTimer(id);
  return () => clearInterval(id);
}
