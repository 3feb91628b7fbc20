/**
 * Live preview of the next free slots beside the availability form — the one
 * island of `/psychologist/availability`. The form is plain HTML (it saves
 * without JavaScript); with JavaScript every change of the form (debounced)
 * posts its fields to `POST /api/psychologist/availability/preview`, which runs
 * the same slot function the booking path uses, and the answer replaces the
 * list. The browser does no calendar math itself.
 *
 * Test hooks: `data-testid="avail-preview"`, `data-state` = idle | loading | ok | error.
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** One slot as the preview endpoint answers it. */
export interface PreviewSlot {
  startsAt: string;
  endsAt: string;
  label: string;
}

export interface AvailabilityPreviewProps {
  /** Id of the form whose fields are previewed. */
  formId: string;
  /** Slots of the page's settings, rendered by the server for the first paint (null = invalid settings). */
  initial: PreviewSlot[] | null;
  timeZone: string;
  /** `[serviceId, label]` of the psychologist's services (may be empty). */
  services: [string, string][];
  /** Translated texts: title, zone (with `{zone}`), service, none, loading, error. */
  strings: Record<string, string>;
  debounceMs?: number;
}

/** Keys of `strings` (resolved by the page). */
export const PREVIEW_KEYS = {
  title: "avail.preview",
  zone: "avail.preview_zone",
  service: "avail.preview_service",
  none: "avail.preview_none",
  loading: "avail.preview_loading",
  error: "avail.preview_error",
} as const;

export default function AvailabilityPreview(props: AvailabilityPreviewProps) {
  const s = props.strings;
  const [slots, setSlots] = useState<PreviewSlot[] | null>(props.initial);
  const [zone, setZone] = useState(props.timeZone);
  const [state, setState] = useState<"idle" | "loading" | "ok" | "error">(props.initial ? "idle" : "error");
  const [serviceId, setServiceId] = useState(props.services[0]?.[0] ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);
  const service = useRef(serviceId);

  function refresh() {
    const form = document.getElementById(props.formId) as HTMLFormElement | null;
    if (!form) return;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      setState("loading");
      const body = new URLSearchParams();
      for (const [k, v] of new FormData(form).entries()) if (typeof v === "string") body.append(k, v);
      if (service.current) body.set("serviceId", service.current);
      try {
        const res = await fetch("/api/psychologist/availability/preview", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body,
        });
        if (mine !== seq.current) return;
        if (!res.ok) {
          setState("error");
          return;
        }
        const json = await res.json() as { slots: PreviewSlot[]; timeZone: string };
        if (mine !== seq.current) return;
        setSlots(json.slots);
        setZone(json.timeZone);
        setState("ok");
      } catch {
        if (mine === seq.current) setState("error");
      }
    }, props.debounceMs ?? 400);
  }

  useEffect(() => {
    const form = document.getElementById(props.formId);
    if (!form) return;
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    return () => {
      form.removeEventListener("input", refresh);
      form.removeEventListener("change", refresh);
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, []);

  return (
    <section class="card avail-preview" aria-live="polite" data-testid="avail-preview" data-state={state}>
      <h2 class="card-title">{s.title}</h2>
      <p class="muted">{s.zone.replace("{zone}", zone)}</p>
      {props.services.length > 1
        ? (
          <div class="field">
            <label for="avail-preview-service">{s.service}</label>
            <select
              id="avail-preview-service"
              value={serviceId}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                service.current = v;
                setServiceId(v);
                refresh();
              }}
            >
              {props.services.map(([id, label]) => <option key={id} value={id}>{label}</option>)}
            </select>
          </div>
        )
        : null}
      {state === "loading" ? <p class="muted">{s.loading}</p> : null}
      {state === "error" ? <p class="field-error">{s.error}</p> : null}
      {slots && slots.length > 0
        ? (
          <ol class="avail-slots">
            {slots.map((x) => (
              <li key={x.startsAt}>
                <time dateTime={x.startsAt}>{x.label}</time>
              </li>
            ))}
          </ol>
        )
        : slots
        ? <p class="empty">{s.none}</p>
        : null}
    </section>
  );
}
