import { OratioError } from "../errors.ts";

/**
 * A speech engine or its model is not available on this machine. The message names what
 * to install or pull, so an operator can fix it without reading code.
 */
export class SpeechEngineUnavailableError extends OratioError {
  readonly engine: string;
  /** Command or action that makes the engine available, e.g. an apt-get line. */
  readonly remedy: string;
  constructor(engine: string, detail: string, remedy: string, options: { cause?: unknown } = {}) {
    super(503, "speech-engine-unavailable", "Speech engine unavailable", {
      detail: `${detail} To fix: ${remedy}`,
      cause: options.cause,
      extensions: { engine, remedy },
    });
    this.engine = engine;
    this.remedy = remedy;
  }
}
