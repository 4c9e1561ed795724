import { OratioError } from "@oratio/core";

/**
 * The destination of an outbound request is not allowed: a private, loopback, link-local or
 * otherwise internal address, or a scheme other than http(s). Operators widen the policy with
 * an allow-list (`ORATIO_FETCH_ALLOW`).
 */
export class BlockedDestinationError extends OratioError {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(400, "blocked-destination", "Blocked destination", {
      detail: `Refused to fetch ${url}: ${reason}. Add the host to ORATIO_FETCH_ALLOW to allow it.`,
      extensions: { url },
    });
    this.url = url;
  }
}

/** The request took longer than its time limit. Worth retrying later. */
export class FetchTimeoutError extends OratioError {
  constructor(url: string, timeoutMs: number) {
    super(504, "fetch-timeout", "Fetch timed out", {
      detail: `Fetching ${url} took longer than ${timeoutMs} ms.`,
      retryable: true,
      extensions: { url },
    });
  }
}

/** The response body is larger than the caller accepts; the transfer was stopped. */
export class ResponseTooLargeError extends OratioError {
  readonly maxBytes: number;
  constructor(url: string, maxBytes: number) {
    super(413, "response-too-large", "Response too large", {
      detail: `The response from ${url} is larger than ${maxBytes} bytes.`,
      extensions: { url, maxBytes },
    });
    this.maxBytes = maxBytes;
  }
}

export class TooManyRedirectsError extends OratioError {
  constructor(url: string, maxRedirects: number) {
    super(502, "too-many-redirects", "Too many redirects", {
      detail: `Fetching ${url} was redirected more than ${maxRedirects} times.`,
      extensions: { url },
    });
  }
}

/** DNS failure, refused or reset connection, TLS failure. Transient by nature, so retryable. */
export class NetworkError extends OratioError {
  constructor(url: string, detail: string, cause?: unknown) {
    super(502, "network-error", "Network error", {
      detail: `Fetching ${url} failed: ${detail}`,
      retryable: true,
      cause,
      extensions: { url },
    });
  }
}
