import { isOratioError } from "@oratio/core";
import {
  type AllowList,
  FetchTimeoutError,
  NetworkError,
  ResponseTooLargeError,
  type SafeResponse,
  safeFetch,
} from "@oratio/net";
import { type HttpToolDefinition, IDEMPOTENT_METHODS } from "./definition.ts";
import { fillHeader, fillUrl, placeholdersOf } from "./url-template.ts";
import { newMessageId, signWebhook } from "./webhook-signature.ts";

/** What one HTTP tool call came to, after any retries. */
export interface HttpCallOutcome {
  ok: boolean;
  /** The endpoint's last HTTP status, when it answered at all. */
  status?: number;
  attempts: number;
  /** The response body as text (ok), or why the call failed (not ok). */
  text: string;
}

export interface HttpCallOptions {
  secret?: string | undefined;
  allowList: AllowList;
  signal?: AbortSignal | undefined;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 4000;
/** A Retry-After (in seconds) is honoured up to this long, so a caller is never kept waiting for minutes. */
const RETRY_AFTER_MAX_MS = 5000;

/** Longest time a call may take with all its attempts, for the run loop's per-call limit. */
export function httpCallBudgetMs(tool: HttpToolDefinition): number {
  const attempts = 1 + (IDEMPOTENT_METHODS.has(tool.method) ? tool.retries : 0);
  return attempts * tool.timeoutMs + (attempts - 1) * RETRY_AFTER_MAX_MS;
}

/**
 * Builds the request from validated arguments and sends it through the outbound-request
 * guard. Arguments that fill no placeholder go to the query string (GET, HEAD, DELETE) or
 * to a JSON body (POST, PUT, PATCH). Idempotent calls are retried with exponential backoff
 * on 5xx, 429, timeouts and network errors; every attempt is signed afresh (same message
 * id, new timestamp).
 */
export async function callHttpTool(
  tool: HttpToolDefinition,
  args: Record<string, unknown>,
  options: HttpCallOptions,
): Promise<HttpCallOutcome> {
  const request = buildRequest(tool, args);
  const maxAttempts = 1 + (IDEMPOTENT_METHODS.has(tool.method) ? tool.retries : 0);
  const messageId = newMessageId();
  let attempt = 0;
  for (;;) {
    attempt++;
    options.signal?.throwIfAborted();
    const headers = { ...request.headers };
    if (options.secret) {
      Object.assign(
        headers,
        signWebhook(options.secret, {
          id: messageId,
          timestamp: Math.floor(Date.now() / 1000),
          body: request.body ?? "",
        }),
      );
    } else {
      headers["webhook-id"] = messageId;
      headers["webhook-timestamp"] = String(Math.floor(Date.now() / 1000));
    }
    let response: SafeResponse | undefined;
    let failure: unknown;
    try {
      response = await safeFetch(request.url, {
        method: tool.method,
        headers,
        body: request.body,
        signal: options.signal,
        timeoutMs: tool.timeoutMs,
        maxBytes: tool.maxResponseBytes,
        allowList: options.allowList,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      failure = error;
    }
    const retryable = response ? response.status >= 500 || response.status === 429 : isTransient(failure);
    if (retryable && attempt < maxAttempts) {
      await sleep(backoffMs(attempt, response), options.signal);
      continue;
    }
    if (!response) return { ok: false, attempts: attempt, text: failureText(failure, tool) };
    const text = response.text();
    if (response.ok) return { ok: true, status: response.status, attempts: attempt, text };
    return {
      ok: false,
      status: response.status,
      attempts: attempt,
      text: `the endpoint answered HTTP ${response.status}${text ? `: ${text.slice(0, 2000)}` : ""}`,
    };
  }
}

function buildRequest(tool: HttpToolDefinition, args: Record<string, unknown>) {
  const used = new Set(placeholdersOf(tool.url));
  for (const value of Object.values(tool.headers)) for (const name of placeholdersOf(value)) used.add(name);
  const rest = Object.fromEntries(Object.entries(args).filter(([name]) => !used.has(name)));
  const url = new URL(fillUrl(tool.url, args));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(tool.headers)) headers[name] = fillHeader(value, args);
  let body: string | undefined;
  if (tool.method === "GET" || tool.method === "HEAD" || tool.method === "DELETE") {
    for (const [name, value] of Object.entries(rest)) {
      if (value === undefined || value === null) continue;
      url.searchParams.append(name, typeof value === "object" ? JSON.stringify(value) : String(value));
    }
  } else {
    body = JSON.stringify(rest);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
  }
  headers.accept ??= "application/json, text/plain;q=0.9, */*;q=0.5";
  return { url: url.href, headers, body };
}

function isTransient(error: unknown): boolean {
  return error instanceof NetworkError || error instanceof FetchTimeoutError;
}

function failureText(error: unknown, tool: HttpToolDefinition): string {
  if (error instanceof FetchTimeoutError) return `the endpoint did not answer within ${tool.timeoutMs} ms`;
  if (error instanceof ResponseTooLargeError)
    return `the response is larger than the ${tool.maxResponseBytes}-byte limit of this tool`;
  if (isOratioError(error)) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

function backoffMs(attempt: number, response: SafeResponse | undefined): number {
  const header = response?.headers.get("retry-after");
  const retryAfter = header ? Number(header) : Number.NaN;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter * 1000, RETRY_AFTER_MAX_MS);
  const exponential = Math.min(BACKOFF_BASE_MS * 2 ** (attempt - 1), BACKOFF_MAX_MS);
  // Jitter spreads the retries of many sessions hitting one struggling endpoint.
  return exponential / 2 + Math.random() * (exponential / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
