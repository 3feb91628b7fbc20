/**
 * The full-screen result of a scan: shown at once, hidden again after a time
 * that depends on its kind, so the desk is ready for the next guest.
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** How long the result overlay stays (ms): OK/late, refused, review. */
export const RESULT_MS = { ok: 1200, late: 1500, error: 2500, review: 8000 } as const;

/** Shows `{ kind }` results for {@link RESULT_MS}`[kind]` ms; `hide()` closes early. */
export function useResultOverlay<R extends { kind: keyof typeof RESULT_MS }>(): {
  result: R | null;
  visible: boolean;
  show: (r: R) => void;
  hide: () => void;
} {
  const [result, setResult] = useState<R | null>(null);
  const [visible, setVisible] = useState(false);
  const hideTimer = useRef<number | null>(null);
  useEffect(() => () => {
    if (hideTimer.current) clearTimeout(hideTimer.current);
  }, []);
  return {
    result,
    visible,
    show(r) {
      setResult(r);
      setVisible(true);
      if (hideTimer.current) clearTimeout(hideTimer.current);
      hideTimer.current = setTimeout(() => setVisible(false), RESULT_MS[r.kind]) as unknown as number;
    },
    hide: () => setVisible(false),
  };
}
