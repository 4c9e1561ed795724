/**
 * A small error hierarchy shared by every package. The HTTP edge turns these into
 * RFC 9457 problem documents; provider adapters use `retryable` to drive fallbacks.
 */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.email` or `query.topK`. */
  path: string;
  message: string;
}

export interface OratioErrorOptions {
  detail?: string;
  issues?: FieldIssue[];
  retryable?: boolean;
  cause?: unknown;
  /** Extra members for the problem document (must not contain secrets). */
  extensions?: Record<string, unknown>;
}

export class OratioError extends Error {
  readonly status: number;
  /** Short machine-readable slug, e.g. `not-found`; becomes the problem `type`. */
  readonly code: string;
  readonly title: string;
  readonly issues: FieldIssue[] | undefined;
  readonly retryable: boolean;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(status: number, code: string, title: string, options: OratioErrorOptions = {}) {
    super(options.detail ?? title, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.title = title;
    this.issues = options.issues;
    this.retryable = options.retryable ?? false;
    this.extensions = options.extensions;
  }

  get detail(): string {
    return this.message;
  }
}

export class ValidationError extends OratioError {
  constructor(detail: string, issues?: FieldIssue[]) {
    super(400, "validation-error", "Invalid request", { detail, issues });
  }
}

export class UnauthorizedError extends OratioError {
  constructor(detail = "Authentication is required.") {
    super(401, "unauthorized", "Unauthorized", { detail });
  }
}

export class ForbiddenError extends OratioError {
  constructor(detail = "You do not have permission to do this.") {
    super(403, "forbidden", "Forbidden", { detail });
  }
}

export class NotFoundError extends OratioError {
  constructor(what = "Resource") {
    super(404, "not-found", "Not found", { detail: `${what} was not found.` });
  }
}

export class ConflictError extends OratioError {
  constructor(detail: string) {
    super(409, "conflict", "Conflict", { detail });
  }
}

export class PayloadTooLargeError extends OratioError {
  constructor(detail: string) {
    super(413, "payload-too-large", "Payload too large", { detail });
  }
}

export class UnsupportedMediaTypeError extends OratioError {
  constructor(detail: string) {
    super(415, "unsupported-media-type", "Unsupported media type", { detail });
  }
}

export class UnprocessableError extends OratioError {
  constructor(detail: string, issues?: FieldIssue[]) {
    super(422, "unprocessable", "Unprocessable content", { detail, issues });
  }
}

export class RateLimitedError extends OratioError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(429, "rate-limited", "Too many requests", {
      detail: `Rate limit exceeded; retry in ${retryAfterSeconds} s.`,
      retryable: true,
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Failure of an external provider (LLM, speech, HTTP tool). 4xx answers are not worth
 * retrying except 408 (timeout) and 429 (rate limited); 5xx and network errors are.
 */
export class ProviderError extends OratioError {
  readonly provider: string;
  readonly upstreamStatus: number | undefined;
  constructor(provider: string, detail: string, options: { upstreamStatus?: number; cause?: unknown } = {}) {
    super(502, "provider-error", "Provider error", {
      detail,
      cause: options.cause,
      retryable: isRetryableStatus(options.upstreamStatus),
    });
    this.provider = provider;
    this.upstreamStatus = options.upstreamStatus;
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  if (status === 408 || status === 429) return true;
  return status >= 500;
}

export function isOratioError(error: unknown): error is OratioError {
  return error instanceof OratioError;
}
