/**
 * The article body editor with a live preview — the one island of the
 * articles pages. The `<textarea name="body">` is a plain form field (the form
 * works without JavaScript); with JavaScript, typing pauses of `debounceMs`
 * send the Markdown to `POST /api/articles/preview` (admin only), which renders
 * and sanitises it exactly as saving does (`lib/articles/render.ts`), and the
 * answer is shown beside the field. The browser never renders Markdown itself,
 * so the preview cannot show (or run) anything the stored article would not.
 *
 * Test hooks: `data-testid="article-preview"`, `data-state` = idle | loading | ok | error.
 */
import { useEffect, useRef, useState } from "preact/hooks";

export interface ArticleEditorProps {
  /** Current Markdown. */
  value: string;
  /** Sanitised HTML of `value` rendered by the server for the first paint. */
  initialHtml: string;
  /** Translated texts: label, hint, preview, preview_loading, preview_error, preview_empty. */
  strings: Record<string, string>;
  /** i18n-resolved error of the body field, if any. */
  error?: string | null;
  maxLength: number;
  /** Pause before a preview request, ms (default 400). */
  debounceMs?: number;
}

/** Keys of `strings` (resolved by the page). */
export const ARTICLE_EDITOR_KEYS = {
  label: "articles.field.body",
  hint: "articles.field.body_hint",
  preview: "articles.preview",
  preview_loading: "articles.preview_loading",
  preview_error: "articles.preview_error",
  preview_empty: "articles.preview_empty",
} as const;

export default function ArticleEditor(props: ArticleEditorProps) {
  const s = props.strings;
  const [html, setHtml] = useState(props.initialHtml);
  const [state, setState] = useState<"idle" | "loading" | "ok" | "error">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);

  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);

  function onInput(e: Event) {
    const body = (e.currentTarget as HTMLTextAreaElement).value;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const mine = ++seq.current;
      setState("loading");
      try {
        const res = await fetch("/api/articles/preview", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ body }),
        });
        if (!res.ok) throw new Error(String(res.status));
        const json = await res.json() as { html: string };
        if (mine !== seq.current) return;
        setHtml(json.html);
        setState("ok");
      } catch {
        if (mine === seq.current) setState("error");
      }
    }, props.debounceMs ?? 400);
  }

  const errId = props.error ? "err-body" : undefined;
  return (
    <div class="article-editor">
      <div class={`field${props.error ? " has-error" : ""}`}>
        <label for="f-body">
          {s.label}
          <span class="req" aria-hidden="true">*</span>
        </label>
        <textarea
          id="f-body"
          name="body"
          rows={18}
          required
          maxLength={props.maxLength}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={["hint-body", errId].filter(Boolean).join(" ")}
          onInput={onInput}
        >
          {props.value}
        </textarea>
        <p class="hint" id="hint-body">{s.hint}</p>
        {props.error ? <p class="field-error" id="err-body">{props.error}</p> : null}
      </div>
      <section class="article-preview card" aria-labelledby="preview-title">
        <h2 id="preview-title" class="card-title">{s.preview}</h2>
        <p class="muted" role="status" aria-live="polite">
          {state === "loading" ? s.preview_loading : state === "error" ? s.preview_error : ""}
        </p>
        {html
          ? (
            <div
              class="article-body"
              data-testid="article-preview"
              data-state={state}
              dangerouslySetInnerHTML={{ __html: html }}
            />
          )
          : <p class="muted" data-testid="article-preview" data-state={state}>{s.preview_empty}</p>}
      </section>
    </div>
  );
}
