/**
 * Keyboard-wedge scanners (USB/Bluetooth barcode readers that type like a
 * keyboard): fast keystrokes ending with Enter, read from a window keydown
 * buffer while no text field has focus.
 */
import { useEffect, useRef } from "preact/hooks";
import { useLatest } from "./use_latest.ts";

/** Keystrokes further apart than this (ms) start a new buffer: people type slower than scanners. */
export const WEDGE_GAP_MS = 100;
/** Shortest text taken as a scan (characters). */
export const WEDGE_MIN_LENGTH = 8;
/** Longest buffer kept (characters); longer input is dropped. */
const WEDGE_MAX_LENGTH = 512;

/** True when typing into `el` is a person's input, not a scanner's. */
export function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT" || (el as HTMLElement).isContentEditable) return true;
  if (tag !== "INPUT") return false;
  const type = (el as HTMLInputElement).type;
  return !["button", "submit", "checkbox", "radio", "reset", "range", "color", "file"].includes(type);
}

/**
 * Calls `onScan(text)` for each wedge scan and `onEscape()` on Escape.
 * Both may change between renders; the newest ones are called.
 */
export function useKeyboardWedge(handlers: { onScan: (text: string) => void; onEscape?: () => void }): void {
  const latest = useLatest(handlers);
  const wedge = useRef<{ buf: string; at: number }>({ buf: "", at: 0 });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") latest.current.onEscape?.();
      if (isEditable(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      const now = performance.now();
      const st = wedge.current;
      if (now - st.at > WEDGE_GAP_MS) st.buf = "";
      st.at = now;
      if (e.key === "Enter") {
        if (st.buf.length >= WEDGE_MIN_LENGTH) {
          e.preventDefault();
          latest.current.onScan(st.buf);
        }
        st.buf = "";
      } else if (e.key.length === 1) {
        st.buf += e.key;
        if (st.buf.length > WEDGE_MAX_LENGTH) st.buf = "";
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
}
