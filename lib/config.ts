/**
 * Settings from the environment, read once. Every variable is listed in README.md.
 */
function env(name: string): string | undefined {
  try {
    const v = Deno.env.get(name);
    return v === undefined || v === "" ? undefined : v;
  } catch {
    return undefined;
  }
}

function int(name: string, fallback: number): number {
  const v = env(name);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** Application settings. Getters so tests can change the environment. */
export const config = {
  /** HTTP port (default 8000). */
  get port(): number {
    return int("PORT", 8000);
  },
  /** Public base URL used in e-mails and QR links (default http://localhost:PORT). */
  get baseUrl(): string {
    return (env("BASE_URL") ?? `http://localhost:${this.port}`).replace(/\/$/, "");
  },
  /** `development` enables /dev/outbox and relaxes Secure cookies on http://localhost. */
  get mode(): "development" | "production" | "test" {
    const m = env("APP_ENV") ?? (env("CI") ? "test" : "development");
    return m === "production" || m === "test" ? m : "development";
  },
  /** IANA time zone for display and local-day boundaries (default Asia/Jakarta). */
  get timeZone(): string {
    return env("TIME_ZONE") ?? "Asia/Jakarta";
  },
  /** Minimum client age in years at registration (default 18). */
  get clientMinAge(): number {
    return int("CLIENT_MIN_AGE", 18);
  },
  /** Maximum client age in years (unset = no maximum). */
  get clientMaxAge(): number | null {
    const v = env("CLIENT_MAX_AGE");
    return v === undefined ? null : int("CLIENT_MAX_AGE", 0) || null;
  },
  /** SMTP transport URL for nodemailer (unset = built-in KV outbox). */
  get smtpUrl(): string | undefined {
    return env("SMTP_URL");
  },
  /** Sender address of outgoing mail. */
  get mailFrom(): string {
    return env("MAIL_FROM") ?? "RuangPulih <no-reply@ruangpulih.local>";
  },
  /** How far ahead a guest appointment may be booked, in days (default 61 ≈ 2 months). */
  get appointmentMaxDaysAhead(): number {
    return int("APPOINTMENT_MAX_DAYS_AHEAD", 61);
  },
  /** Grace period after the scheduled time before a check-in is late, minutes (default 15). */
  get lateGraceMinutes(): number {
    return int("LATE_GRACE_MINUTES", 15);
  },
  /**
   * A check-in more than this many minutes before the scheduled time is "early"
   * (default 60; see `punctualityAt` in lib/guestbook/model.ts).
   */
  get earlyMinutes(): number {
    return int("EARLY_MINUTES", 60);
  },
  /** Appointments older than this many days are archived (default 365). */
  get archiveAfterDays(): number {
    return int("ARCHIVE_AFTER_DAYS", 365);
  },
  /** Directory for daily KV backups (default ./backups). */
  get backupDir(): string {
    return env("BACKUP_DIR") ?? "./backups";
  },
  /** QR signing secret (unset = generated once and kept in KV). */
  get qrSecret(): string | undefined {
    return env("QR_SECRET");
  },
  /** Minimum log level of the JSON logs: debug | info | warn | error (default info; tests: warn). */
  get logLevel(): "debug" | "info" | "warn" | "error" {
    const v = env("LOG_LEVEL") ?? (this.mode === "test" ? "warn" : "info");
    return v === "debug" || v === "warn" || v === "error" ? v : "info";
  },
  /** Password of the seeded demo accounts. */
  get seedPassword(): string {
    return env("SEED_PASSWORD") ?? "ruangpulih-demo";
  },
  /** Secret for hashing one-time codes (HMAC key; unset = generated once and kept in KV). */
  get authSecret(): string | undefined {
    return env("AUTH_SECRET");
  },
  /** `RATE_LIMITS=off` disables rate limits (benchmarks only; default on). */
  get rateLimitsEnabled(): boolean {
    return (env("RATE_LIMITS") ?? "on").toLowerCase() !== "off";
  },
  /**
   * Most open notification streams (SSE) per process, all users together (default 5,000);
   * more get 503 with Retry-After. Each holds a connection, a stream and a share of a KV watch.
   */
  get sseMaxStreams(): number {
    return Math.max(1, int("SSE_MAX_STREAMS", 5000));
  },
  /** Most open notification streams of one user per process (default 20); more get 429. */
  get sseMaxStreamsPerUser(): number {
    return Math.max(1, int("SSE_MAX_STREAMS_PER_USER", 20));
  },
  /** `TRUST_PROXY=1`: take the client IP from the first `X-Forwarded-For` entry (behind a reverse proxy). */
  get trustProxy(): boolean {
    return env("TRUST_PROXY") === "1";
  },
  /** Close a connection with no request in progress after this many ms (default 30000). */
  get httpIdleTimeoutMs(): number {
    return Math.max(1, int("HTTP_IDLE_TIMEOUT_MS", 30_000));
  },
  /** Answer 408 when a request has no response this many ms after its head (default 60000). */
  get httpRequestTimeoutMs(): number {
    return Math.max(1, int("HTTP_REQUEST_TIMEOUT_MS", 60_000));
  },
  /** Cap on open HTTP connections (unset = open-files soft limit minus 64). */
  get maxConnections(): number | null {
    const n = int("MAX_CONNECTIONS", 0);
    return n > 0 ? n : null;
  },
  /**
   * Minutes an unpaid booking holds its slot (default 15); also the Midtrans
   * Snap expiry of its payment (docs/domain-rules.md "Booking").
   */
  /**
   * Price in whole rupiah of a screening's PDF summary when the result is insecure (default 25,000; 0 =
   * always free; a secure result's PDF is always free — docs/domain-rules.md "Emotion screening").
   */
  get screeningPdfPriceIdr(): number {
    return Math.min(10_000_000, Math.max(0, int("SCREENING_PDF_PRICE_IDR", 25_000)));
  },
  get paymentWindowMinutes(): number {
    return Math.min(24 * 60, Math.max(1, int("PAYMENT_WINDOW_MINUTES", 15)));
  },
  /** A client may cancel or reschedule until this many hours before the start (default 24). */
  get cancelCutoffHours(): number {
    return Math.min(24 * 30, Math.max(0, int("CANCEL_CUTOFF_HOURS", 24)));
  },
  /**
   * Which Midtrans the payments talk to: `builtin` (the sandbox served by this
   * app under /sandbox/midtrans, the default when no MIDTRANS_SERVER_KEY is
   * set), `sandbox` (api.sandbox.midtrans.com) or `production` (api.midtrans.com).
   * With a server key and no MIDTRANS_ENV the default is `sandbox`.
   */
  get midtransEnv(): "builtin" | "sandbox" | "production" {
    const v = env("MIDTRANS_ENV");
    if (v === "builtin" || v === "sandbox" || v === "production") return v;
    if (env("MIDTRANS_SERVER_KEY")) return "sandbox";
    // Fail closed: with APP_ENV=production and no keys, bookings answer 503 instead of
    // silently accepting the built-in sandbox's pretend payments. MIDTRANS_ENV=builtin opts in.
    return this.mode === "production" ? "production" : "builtin";
  },
  /** Midtrans server key (Basic auth user, signature secret); unset = builtin sandbox key kept in KV. */
  get midtransServerKey(): string | undefined {
    return env("MIDTRANS_SERVER_KEY");
  },
  /** Midtrans client key (public; shown to Snap.js), optional. */
  get midtransClientKey(): string | undefined {
    return env("MIDTRANS_CLIENT_KEY");
  },
  /** Platform commission in percent of each payment, 0–100 (default 10; docs/domain-rules.md "Payments"). */
  get platformCommissionPercent(): number {
    const v = env("PLATFORM_COMMISSION_PERCENT");
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : 10;
  },
  /**
   * Minutes before a booked session starts that its chat opens (default 10; docs/domain-rules.md "Chat").
   */
  get chatOpensMinutesBefore(): number {
    return Math.min(24 * 60, Math.max(0, int("CHAT_OPENS_MINUTES_BEFORE", 10)));
  },
  /** Minutes after a booked session ends that its chat stays writable (default 10; docs/domain-rules.md "Chat"). */
  get chatGraceMinutes(): number {
    return Math.min(24 * 60, Math.max(0, int("CHAT_GRACE_MINUTES", 10)));
  },
  /** Data-encryption key, 32 bytes base64 (lib/crypto/data_key.ts); unset = the key file. */
  get dataEncryptionKey(): string | undefined {
    return env("DATA_ENCRYPTION_KEY");
  },
  /** Previous data-encryption keys (comma-separated base64), still accepted for reading after a rotation. */
  get dataEncryptionOldKeys(): string[] {
    return (env("DATA_ENCRYPTION_OLD_KEYS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  },
  /** Key file used when DATA_ENCRYPTION_KEY is unset (default ./secrets/data-encryption.key; created on first start). */
  get dataKeyFile(): string {
    return env("DATA_KEY_FILE") ?? "./secrets/data-encryption.key";
  },
  /** Whether DATA_KEY_FILE is set (tests without it use an in-memory key). */
  get dataKeyFileSet(): boolean {
    return env("DATA_KEY_FILE") !== undefined;
  },
  /**
   * Seconds each screening picture is shown (default 10; decimals allowed, 0.5 to 120; tests shorten
   * it). Read by `stimulusSeconds()` in lib/screening/stimuli.ts.
   */
  get screeningStimulusSeconds(): number {
    const v = env("SCREENING_STIMULUS_SECONDS");
    const n = v === undefined ? NaN : Number(v);
    return Number.isFinite(n) ? Math.min(120, Math.max(0.5, n)) : 10;
  },
};
