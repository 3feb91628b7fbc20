/**
 * CnBuddy's conversation — the one island of `/chatbot`, also on the client's
 * home (`compact`). It is a plain form first: without JavaScript the question
 * posts to `/chatbot`, which renders the answer (and each suggested topic is
 * a one-button form). With JavaScript each question goes to
 * `POST /api/chatbot` and the answers stack up as a conversation, kept in
 * memory only (nothing is stored, docs/domain-rules.md "CnBuddy").
 *
 * Crisis: once an answer says `crisis`, a panel with 119, a psychologist,
 * 119 ext 8 and healing119.id stays on top of the conversation for as long as
 * the page is open; it has no close button (it cannot be dismissed with one
 * tap, or at all), and a slim bar with "call 119" and "a psychologist now"
 * stays stuck under the page header while the conversation scrolls.
 *
 * Test hooks: `data-testid="cnbuddy"` with `data-state` = idle | sending | error
 * and `data-hydrated="true"` once the browser took over,
 * `data-testid="cnbuddy-crisis"`, `.cnbuddy-msg[data-from=user|bot]` with
 * `data-intent` on answers.
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** One action link of an answer (as `POST /api/chatbot` returns it). */
export interface CnBuddyAction {
  label: string;
  href: string;
  kind: "primary" | "secondary" | "danger";
}

/** An answer (the fields of `POST /api/chatbot` the island shows). */
export interface CnBuddyAnswer {
  reply: string;
  intent: string;
  confidence: number;
  crisis: boolean;
  suggestions: string[];
  actions: CnBuddyAction[];
  lang: "id" | "en";
}

/** One question and its answer. */
export interface CnBuddyExchange {
  question: string;
  answer: CnBuddyAnswer;
}

export interface CnBuddyProps {
  /** Exchanges rendered by the server (the no-JavaScript form's answer), oldest first. */
  initial: CnBuddyExchange[];
  /** Topics offered before the first question. */
  topics: string[];
  /** Translated strings, see {@link CNBUDDY_KEYS}; intent names under `intent.<name>`. */
  strings: Record<string, string>;
  /** The crisis panel's actions in the page's language (shown when a crisis answer has none of its own). */
  crisisActions: CnBuddyAction[];
  /** The text to put back in the box (after a form error). */
  draft?: string;
  /** Error shown under the box (after a form error). */
  error?: string;
  /** Smaller variant for the client home (shorter log). */
  compact?: boolean;
  /** `id` of the message box (unique on the page). */
  inputId?: string;
}

/** Keys of `strings` (resolved by the page with the translator). */
export const CNBUDDY_KEYS = {
  intro: "chatbot.intro",
  label: "chatbot.input.label",
  placeholder: "chatbot.input.placeholder",
  send: "chatbot.send",
  sending: "chatbot.sending",
  you: "chatbot.you",
  bot: "chatbot.bot",
  log: "chatbot.log",
  suggestions: "chatbot.suggestions",
  intent: "chatbot.intent",
  network: "chatbot.error.network",
  generic: "chatbot.error.generic",
  crisisTitle: "chatbot.crisis.title",
  crisisStays: "chatbot.crisis.stays",
  bar119: "chatbot.crisis.bar119",
  barPsychologist: "chatbot.crisis.bar_psychologist",
} as const;

function fill(s: string, params: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (m, k) => params[k] ?? m);
}

function linkProps(a: CnBuddyAction) {
  const external = a.href.startsWith("https://");
  return {
    class: a.kind === "danger" ? "btn btn-danger" : a.kind === "primary" ? "btn" : "btn btn-secondary",
    href: a.href,
    ...(external ? { rel: "noopener noreferrer", target: "_blank" } : {}),
  };
}

export default function CnBuddy(props: CnBuddyProps) {
  const s = props.strings;
  const [log, setLog] = useState<CnBuddyExchange[]>(props.initial);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(props.error ?? null);
  const [draft, setDraft] = useState(props.draft ?? "");
  const crisisAnswer = [...log].reverse().find((x) => x.answer.crisis)?.answer ?? null;
  const endRef = useRef<HTMLLIElement>(null);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const inputId = props.inputId ?? "cnbuddy-message";

  const panelRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!hydrated) return;
    if (log.at(-1)?.answer.crisis) panelRef.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
    else if (log.length || pending) endRef.current?.scrollIntoView?.({ block: "nearest" });
  }, [log.length, pending]);

  async function ask(question: string) {
    const q = question.trim();
    if (!q || pending) return;
    setPending(q);
    setError(null);
    try {
      const r = await fetch("/api/chatbot", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ message: q }),
      });
      const body = await r.json().catch(() => null);
      if (r.ok && body) {
        setLog((l) => [...l, { question: q, answer: body as CnBuddyAnswer }]);
        setDraft("");
      } else {
        const fieldError = body?.error?.fields?.message as string | undefined;
        setError(fieldError ?? body?.error?.message ?? s.generic);
      }
    } catch {
      setError(s.network);
    } finally {
      setPending(null);
    }
  }

  const last = log.at(-1);
  const suggestions = last ? last.answer.suggestions : props.topics;
  const state = pending ? "sending" : error ? "error" : "idle";
  const crisisActions = crisisAnswer?.actions.length ? crisisAnswer.actions : props.crisisActions;

  return (
    <section
      class={props.compact ? "cnbuddy cnbuddy-compact" : "cnbuddy"}
      data-testid="cnbuddy"
      data-state={state}
      data-hydrated={hydrated ? "true" : undefined}
    >
      {crisisAnswer
        ? (
          <div class="cnbuddy-crisis" role="alert" data-testid="cnbuddy-crisis" ref={panelRef}>
            <h2 class="cnbuddy-crisis-title">{s.crisisTitle}</h2>
            <ul class="cnbuddy-actions" role="list">
              {crisisActions.map((a) => (
                <li key={a.href}>
                  <a {...linkProps(a)}>{a.label}</a>
                </li>
              ))}
            </ul>
            <p class="cnbuddy-crisis-note">{s.crisisStays}</p>
          </div>
        )
        : null}
      {crisisAnswer
        ? (
          <nav class="cnbuddy-crisis-bar" aria-label={s.crisisTitle} data-testid="cnbuddy-crisis-bar">
            <a class="btn btn-danger" href="tel:119">{s.bar119}</a>
            <a class="btn" href="/psychologists">{s.barPsychologist}</a>
          </nav>
        )
        : null}
      <ol class="cnbuddy-log" aria-label={s.log} aria-live="polite" role="log">
        <li class="cnbuddy-msg" data-from="bot">
          <p class="cnbuddy-bubble">{s.intro}</p>
        </li>
        {log.map((x, i) => (
          <>
            <li class="cnbuddy-msg" data-from="user" key={`q${i}`}>
              <span class="sr-only">{s.you}:</span>
              <p class="cnbuddy-bubble">{x.question}</p>
            </li>
            <li
              class="cnbuddy-msg"
              data-from="bot"
              data-intent={x.answer.intent}
              data-crisis={x.answer.crisis ? "true" : undefined}
              key={`a${i}`}
              lang={x.answer.lang}
            >
              <span class="sr-only">{s.bot}:</span>
              <div class="cnbuddy-bubble">
                <p>{x.answer.reply}</p>
                {x.answer.actions.length && !x.answer.crisis
                  ? (
                    <p class="cnbuddy-links">
                      {x.answer.actions.map((a) => <a key={a.href} {...linkProps(a)}>{a.label}</a>)}
                    </p>
                  )
                  : null}
                <p class="cnbuddy-meta">
                  {fill(s.intent, {
                    intent: s[`intent.${x.answer.intent}`] ?? x.answer.intent,
                    confidence: x.answer.confidence.toFixed(2),
                  })}
                </p>
              </div>
            </li>
          </>
        ))}
        {pending
          ? (
            <>
              <li class="cnbuddy-msg" data-from="user">
                <p class="cnbuddy-bubble">{pending}</p>
              </li>
              <li class="cnbuddy-msg" data-from="bot">
                <p class="cnbuddy-bubble cnbuddy-typing">{s.sending}</p>
              </li>
            </>
          )
          : null}
        <li ref={endRef} class="cnbuddy-end" aria-hidden="true" />
      </ol>
      {suggestions.length
        ? (
          <div class="cnbuddy-suggestions">
            <p class="cnbuddy-suggestions-title" id={`${inputId}-topics`}>{s.suggestions}</p>
            <ul role="list" aria-labelledby={`${inputId}-topics`}>
              {suggestions.map((q) => (
                <li key={q}>
                  <form
                    method="post"
                    action="/chatbot"
                    onSubmit={(e) => {
                      e.preventDefault();
                      ask(q);
                    }}
                  >
                    <button class="cnbuddy-chip" type="submit" name="message" value={q} disabled={!!pending}>
                      {q}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </div>
        )
        : null}
      <form
        class="cnbuddy-form"
        method="post"
        action="/chatbot"
        onSubmit={(e) => {
          e.preventDefault();
          ask(draft);
        }}
      >
        <label class="sr-only" for={inputId}>{s.label}</label>
        <textarea
          id={inputId}
          name="message"
          rows={2}
          required
          maxLength={2000}
          placeholder={s.placeholder}
          value={draft}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              ask(draft);
            }
          }}
        />
        <button class="btn" type="submit" disabled={!!pending}>{s.send}</button>
        {error ? <p class="field-error cnbuddy-error" id={`${inputId}-error`} role="alert">{error}</p> : null}
      </form>
    </section>
  );
}
