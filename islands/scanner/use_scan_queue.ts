/**
 * One read at a time: the same code is ignored for {@link REPEAT_MS} after a
 * read (a sliding window: a code held in front of the camera stays ignored
 * until it has been away that long); a read that arrives while one is being
 * checked waits, and only the latest such read is kept.
 */
import { useRef, useState } from "preact/hooks";
import { useLatest } from "./use_latest.ts";

/** A repeated read of the same code within this many ms is ignored. */
export const REPEAT_MS = 5000;
/** Longest code handled (characters). */
const MAX_CODE = 512;

/**
 * `submit(raw, force)` feeds one read to `handle` (force: typed by hand, skips
 * the repeat filter); `busy` is true while one is being handled.
 */
export function useScanQueue(handle: (code: string) => Promise<void>): {
  busy: boolean;
  submit: (raw: string, force?: boolean) => void;
} {
  const recent = useRef(new Map<string, number>());
  const checking = useRef(false);
  const pending = useRef<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useLatest(handle);

  /** True when `code` was read less than REPEAT_MS ago; marks it as seen now either way. */
  function seenRecently(code: string, now: number): boolean {
    const at = recent.current.get(code);
    recent.current.set(code, now);
    if (recent.current.size > 50) {
      for (const [c, t] of recent.current) if (now - t > REPEAT_MS) recent.current.delete(c);
    }
    return at !== undefined && now - at < REPEAT_MS;
  }

  async function submit(raw: string, force = false): Promise<void> {
    const code = raw.trim();
    if (!code || code.length > MAX_CODE) return;
    if (seenRecently(code, Date.now()) && !force) return;
    if (checking.current) {
      pending.current = code; // keep the latest read; handled when the current one is done
      return;
    }
    checking.current = true;
    setBusy(true);
    try {
      await latest.current(code);
    } finally {
      checking.current = false;
      setBusy(false);
      recent.current.set(code, Date.now());
      const next = pending.current;
      pending.current = null;
      if (next) submit(next, true);
    }
  }

  return { busy, submit: (raw, force) => void submit(raw, force) };
}
