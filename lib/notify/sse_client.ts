/**
 * A minimal Server-Sent Events parser for non-browser clients of
 * `/api/notifications/stream` (tests, the benchmark, a CLI). Follows the WHATWG
 * "event stream interpretation" rules for the fields we send: `id`, `event`,
 * `data` (joined with "\n"), `retry`; comment lines (`:`) are skipped.
 */

/** One dispatched event. `id` is the last event id in effect (as EventSource's `lastEventId`). */
export interface SseEvent {
  event: string;
  data: string;
  id: string;
}

/** Reads events one by one from an SSE byte stream. */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = "";
  #queue: SseEvent[] = [];
  #lastId = "";
  #done = false;
  /** The last `retry:` value received (ms), or null. */
  retry: number | null = null;
  /** Number of comment lines seen (heartbeats). */
  comments = 0;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The id of the last event that carried one (what a client sends as Last-Event-ID). */
  get lastEventId(): string {
    return this.#lastId;
  }

  /** Next event, or null when the stream ended. */
  async next(): Promise<SseEvent | null> {
    for (;;) {
      const e = this.#queue.shift();
      if (e) return e;
      if (this.#done) return null;
      const { value, done } = await this.#reader.read();
      if (done) {
        this.#done = true;
        this.#parse(this.#decoder.decode());
        continue;
      }
      this.#parse(this.#decoder.decode(value, { stream: true }));
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

  #parse(chunk: string): void {
    this.#buffer += chunk;
    let idx: number;
    while ((idx = this.#buffer.indexOf("\n\n")) >= 0) {
      const block = this.#buffer.slice(0, idx);
      this.#buffer = this.#buffer.slice(idx + 2);
      let event = "message";
      const data: string[] = [];
      let hasData = false;
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) {
          this.comments++;
          continue;
        }
        const c = line.indexOf(":");
        const field = c < 0 ? line : line.slice(0, c);
        let value = c < 0 ? "" : line.slice(c + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") event = value;
        else if (field === "data") {
          data.push(value);
          hasData = true;
        } else if (field === "id" && !value.includes("\0")) this.#lastId = value;
        else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
      }
      if (hasData) this.#queue.push({ event, data: data.join("\n"), id: this.#lastId });
    }
  }
}
