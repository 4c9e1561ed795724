import { ProviderError } from "../errors.ts";

/** A model produced no first output within its time budget; retryable so a fallback serves the turn. */
export class ModelTimeoutError extends ProviderError {
  constructor(provider: string, modelId: string, timeoutMs: number) {
    super(provider, `Model ${modelId} produced no output within ${timeoutMs} ms.`, { upstreamStatus: 408 });
  }
}

export interface ModelAttemptFailure {
  provider: string;
  modelId: string;
  message: string;
}

/** Every model of a fallback chain failed for one request. */
export class AllModelsFailedError extends ProviderError {
  readonly attempts: ModelAttemptFailure[];
  constructor(attempts: ModelAttemptFailure[], cause?: unknown) {
    const summary = attempts.map((a) => `${a.provider}/${a.modelId}: ${a.message}`).join("; ");
    super("fallback-chain", `All models failed: ${summary}`, { cause });
    this.attempts = attempts;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
