import { OratioError, ProviderError } from "@oratio/core";
import type { PcmChunk } from "@oratio/core/speech";
import { Pcm16Reader } from "./pcm.ts";

/** The `fetch` the adapters call; the server passes the outbound-guarded one. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

/**
 * Sends a request and returns the response when it is 2xx. A refusal becomes a
 * ProviderError carrying the vendor's status and message (never the request's headers, so
 * keys stay out of errors and logs); an outbound-guard refusal keeps its own error.
 */
export async function request(
  provider: string,
  fetch: FetchLike,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<Response> {
  signal?.throwIfAborted();
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (error) {
    throw networkError(provider, error, signal);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    throw new ProviderError(provider, `${provider} answered ${response.status}: ${summarize(text)}`, {
      upstreamStatus: response.status,
    });
  }
  return response;
}

export function networkError(provider: string, error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof OratioError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof OratioError) return cause;
  const message = (cause as Error | undefined)?.message ?? (error as Error | undefined)?.message ?? "";
  return new ProviderError(provider, `Could not reach ${provider}: ${message || "network error"}.`, {
    cause: error,
  });
}

/**
 * Yields a response body of raw PCM16 LE as sample chunks the moment bytes arrive, so the
 * first audio reaches the caller before the vendor has finished. Aborting cancels the body
 * and ends iteration with the abort reason.
 */
export async function* readPcmBody(
  provider: string,
  response: Response,
  sampleRate: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<PcmChunk> {
  const body = response.body;
  if (!body) return;
  const pcm = new Pcm16Reader();
  const reader = body.getReader();
  let finished = false;
  try {
    while (true) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw networkError(provider, error, signal);
      }
      if (next.done) {
        finished = true;
        break;
      }
      signal?.throwIfAborted();
      const samples = pcm.read(next.value);
      if (samples.length > 0) yield { samples, sampleRate };
    }
  } finally {
    // Stopped early (abort, or the consumer broke off): drop the connection's remaining body.
    if (!finished) await reader.cancel().catch(() => {});
  }
}

function summarize(text: string): string {
  const trimmed = text.replace(/\s+/g, " ").trim();
  if (!trimmed) return "no details";
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}
