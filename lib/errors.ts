/**
 * Domain error types. One class per failure kind; the error middleware
 * (`lib/http/errors.ts`) maps each to an HTTP status and renders either a
 * translated HTML page or the JSON body `{ error: { code, message, fields? } }`.
 *
 * `messageKey` and the values of `fields` are i18n keys (see `lib/i18n`), never
 * user-facing text, so the same error can be shown in Indonesian or English.
 */
export abstract class AppError extends Error {
  /** HTTP status this failure maps to. */
  abstract readonly status: number;
  /** Stable machine-readable code for the JSON API (snake_case). */
  readonly code: string;
  /** i18n key of the human message. */
  readonly messageKey: string;
  /** Interpolation parameters for `messageKey`. */
  readonly params: Record<string, string | number>;
  constructor(code: string, messageKey: string, params: Record<string, string | number> = {}) {
    super(`${code}: ${messageKey}`);
    this.code = code;
    this.messageKey = messageKey;
    this.params = params;
  }
}

/** A field's message for a form: an i18n key, or a key with its interpolation values. */
export type FieldMessage = string | { key: string; params: Record<string, string | number> };

/**
 * 400 — input failed validation. `fields` maps a field name to an i18n key;
 * `fieldParams` holds the interpolation values of those keys where they have
 * placeholders (e.g. `{ purpose: { max: 500 } }` for `field.too_long`).
 */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly fields: Record<string, string>;
  readonly fieldParams: Record<string, Record<string, string | number>>;
  constructor(
    fields: Record<string, string>,
    messageKey = "error.validation",
    code = "validation_failed",
    fieldParams: Record<string, Record<string, string | number>> = {},
  ) {
    super(code, messageKey);
    this.fields = fields;
    this.fieldParams = fieldParams;
  }

  /** The field messages for re-rendering a form: each key with its params, where it has some. */
  messages(): Record<string, FieldMessage> {
    return Object.fromEntries(
      Object.entries(this.fields).map((
        [k, v],
      ) => [k, this.fieldParams[k] ? { key: v, params: this.fieldParams[k] } : v]),
    );
  }

  /** This error with the fields (and their params) of `other` added; fields already here win. */
  merge(other: ValidationError): ValidationError {
    return new ValidationError(
      { ...other.fields, ...this.fields },
      this.messageKey,
      this.code,
      { ...other.fieldParams, ...this.fieldParams },
    );
  }
}

/** 400 — a request that is malformed as a whole (bad JSON, wrong content type). */
export class BadRequest extends AppError {
  readonly status = 400;
  constructor(code = "bad_request", messageKey = "error.bad_request", params: Record<string, string | number> = {}) {
    super(code, messageKey, params);
  }
}

/**
 * 400 — the client stopped sending the body (disconnect, aborted upload) before it was
 * complete. A client-side failure: answered 400 and logged at debug level, never as a 500.
 */
export class BodyAborted extends AppError {
  readonly status = 400;
  constructor(code = "body_aborted", messageKey = "error.body_aborted") {
    super(code, messageKey);
  }
}

/** 401 — not signed in, or the credentials/token are wrong. */
export class Unauthorized extends AppError {
  readonly status = 401;
  constructor(code = "unauthorized", messageKey = "error.unauthorized") {
    super(code, messageKey);
  }
}

/** 403 — signed in, but this role/owner may not do this. */
export class Forbidden extends AppError {
  readonly status = 403;
  constructor(code = "forbidden", messageKey = "error.forbidden") {
    super(code, messageKey);
  }
}

/** 404 — the object does not exist (or must not be revealed to this caller). */
export class NotFound extends AppError {
  readonly status = 404;
  constructor(code = "not_found", messageKey = "error.not_found") {
    super(code, messageKey);
  }
}

/** 405 — the path exists but not for this method. `allow` lists the accepted methods. */
export class MethodNotAllowed extends AppError {
  readonly status = 405;
  readonly allow: string;
  constructor(allow: string) {
    super("method_not_allowed", "error.method_not_allowed");
    this.allow = allow;
  }
}

/** 409 — the object's state forbids the change (already used, taken slot, duplicate). */
export class Conflict extends AppError {
  readonly status = 409;
  constructor(code = "conflict", messageKey = "error.conflict", params: Record<string, string | number> = {}) {
    super(code, messageKey, params);
  }
}

/** 413 — the body is larger than the endpoint accepts. */
export class PayloadTooLarge extends AppError {
  readonly status = 413;
  constructor(code = "payload_too_large", messageKey = "error.payload_too_large") {
    super(code, messageKey);
  }
}

/** 429 — rate limit hit. `retryAfter` is in whole seconds (sent as `Retry-After`). */
export class TooManyRequests extends AppError {
  readonly status = 429;
  readonly retryAfter: number;
  constructor(retryAfter: number, code = "rate_limited", messageKey = "error.rate_limited") {
    super(code, messageKey, { seconds: retryAfter });
    this.retryAfter = Math.max(1, Math.ceil(retryAfter));
  }
}

/**
 * 503 — a shared capacity of this process is full (e.g. the global cap on open
 * notification streams). `retryAfter` is in whole seconds (sent as `Retry-After`,
 * RFC 9110 §10.2.3).
 */
export class ServiceUnavailable extends AppError {
  readonly status = 503;
  readonly retryAfter: number;
  constructor(retryAfter: number, code = "service_unavailable", messageKey = "error.service_unavailable") {
    super(code, messageKey, { seconds: retryAfter });
    this.retryAfter = Math.max(1, Math.ceil(retryAfter));
  }
}

/** 402 — the thing exists but must be paid first (e.g. a screening's PDF summary). */
export class PaymentRequired extends AppError {
  readonly status = 402;
  constructor(code = "payment_required", messageKey = "error.payment_required") {
    super(code, messageKey);
  }
}

/**
 * 422 — the request is well-formed and valid field by field, but its content cannot be processed as a
 * whole (RFC 9110 §15.5.21), e.g. a screening with too few frames showing a face.
 */
export class UnprocessableContent extends AppError {
  readonly status = 422;
  constructor(code = "unprocessable_content", messageKey = "error.unprocessable") {
    super(code, messageKey);
  }
}
