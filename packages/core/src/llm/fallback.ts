import { abortError, isAbortError } from "./abort.ts";
import {
  AllModelsFailedError,
  errorMessage,
  type ModelAttemptFailure,
  ModelTimeoutError,
} from "./model-errors.ts";
import type { LanguageModel, ModelRequest, ModelStreamPart, StreamOptions } from "./types.ts";

export interface FallbackNotice {
  from: { provider: string; modelId: string };
  to: { provider: string; modelId: string };
  error: unknown;
}

export interface FallbackOptions extends StreamOptions {
  /**
   * Time budget for a model's FIRST part. Once a model has produced output it owns the
   * turn: switching models mid-reply would repeat or contradict what was already said.
   */
  firstPartTimeoutMs?: number;
  onFallback?: (notice: FallbackNotice) => void;
}

/**
 * Streams from the first model that answers. A model that throws or times out before its
 * first part is abandoned (and aborted) and the next one serves the request.
 */
export async function* streamWithFallback(
  models: readonly LanguageModel[],
  request: ModelRequest,
  options: FallbackOptions = {},
): AsyncGenerator<ModelStreamPart> {
  if (models.length === 0) throw new AllModelsFailedError([]);
  const failures: ModelAttemptFailure[] = [];
  let lastError: unknown;
  for (let index = 0; index < models.length; index++) {
    const model = models[index]!;
    if (options.signal?.aborted) throw abortError(options.signal);
    const attempt = new AbortController();
    const onOuterAbort = () => attempt.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onOuterAbort, { once: true });
    const iterator = model.stream(request, { signal: attempt.signal })[Symbol.asyncIterator]();
    let produced = false;
    try {
      const first = await firstPart(iterator, model, options.firstPartTimeoutMs);
      if (first.done) return;
      produced = true;
      yield first.value;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      if (options.signal?.aborted) throw abortError(options.signal);
      // After output has been streamed the failure belongs to this reply; no silent switch.
      if (produced || isAbortError(error)) throw error;
      attempt.abort();
      failures.push({ provider: model.provider, modelId: model.modelId, message: errorMessage(error) });
      lastError = error;
      const next = models[index + 1];
      if (!next) break;
      options.onFallback?.({
        from: { provider: model.provider, modelId: model.modelId },
        to: { provider: next.provider, modelId: next.modelId },
        error,
      });
    } finally {
      options.signal?.removeEventListener("abort", onOuterAbort);
    }
  }
  if (failures.length === 1) throw lastError;
  throw new AllModelsFailedError(failures, lastError);
}

async function firstPart(
  iterator: AsyncIterator<ModelStreamPart>,
  model: LanguageModel,
  timeoutMs: number | undefined,
): Promise<IteratorResult<ModelStreamPart>> {
  if (timeoutMs === undefined) return iterator.next();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ModelTimeoutError(model.provider, model.modelId, timeoutMs)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps a chain as one LanguageModel, e.g. to hand a resilient model to code that knows only the contract. */
export function withFallbacks(
  models: readonly LanguageModel[],
  options: Omit<FallbackOptions, "signal"> = {},
): LanguageModel {
  const primary = models[0];
  return {
    provider: primary?.provider ?? "none",
    modelId: primary?.modelId ?? "none",
    stream: (request, streamOptions) => streamWithFallback(models, request, { ...options, ...streamOptions }),
  };
}
