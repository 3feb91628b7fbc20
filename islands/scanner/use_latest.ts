import { useRef } from "preact/hooks";

/**
 * A ref that always holds the latest `value` (set during render), for event
 * handlers and timers registered once that must call the current callback.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
