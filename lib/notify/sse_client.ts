/**
 * A Server-Sent Events reader for non-browser clients of
 * `/api/notifications/stream` (tests, the benchmark, a CLI). Parsing is done by
 * the `eventsource-parser` package (WHATWG HTML "event stream interpretation");
 * this wrapper only turns its callbacks into a pull API (`next()`), keeps the
 * `lastEventId` as EventSource does, and counts comment lines (heartbeats).
 */
import { createParser, type EventSourceMessage } from "eventsource-parser";

/** One dispatched event. `id` is the last event id in effect (as EventSource's `lastEventId`). */
export interface SseEvent {
  /** Event type; `message` when the server sent no `event:` field (as EventSource). */
  event: string;
  data: string;
  id: string;
}

/** Reads events one by one from an SSE byte stream. */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #queue: SseEvent[] = [];
  #parsedId = "";
  #deliveredId = "";
  #done = false;
  #parser = createParser({
    onId: (id) => this.#parsedId = id,
    onEvent: (e: EventSourceMessage) =>
      this.#queue.push({ event: e.event ?? "message", data: e.data, id: this.#parsedId }),
    onRetry: (ms) => this.retry = ms,
    onComment: () => this.comments++,
  });
  /** The last `retry:` value received (ms), or null. */
  retry: number | null = null;
  /** Number of comment lines seen (heartbeats). */
  comments = 0;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The event id in effect for the last event returned (what a client sends as Last-Event-ID). */
  get lastEventId(): string {
    return this.#deliveredId;
  }

  /** Next event, or null when the stream ended. */
  async next(): Promise<SseEvent | null> {
    for (;;) {
      const e = this.#queue.shift();
      if (e) {
        this.#deliveredId = e.id;
        return e;
      }
      if (this.#done) return null;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#done = true;
        this.#parser.feed(this.#decoder.decode());
        continue;
      }
      this.#parser.feed(this.#decoder.decode(value, { stream: true }));
    }
  }

  /** Next event named `name` (others are skipped), or null at the end. */
  async nextOf(name: string): Promise<SseEvent | null> {
    for (;;) {
      const e = await this.next();
      if (!e || e.event === name) return e;
    }
  }

  /** Cancels the underlying stream (the server sees the client go away). */
  async cancel(): Promise<void> {
    this.#done = true;
    await this.#reader.cancel().catch(() => {});
  }
}
