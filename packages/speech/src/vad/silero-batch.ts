import { SpeechEngineUnavailableError } from "@oratio/core/speech";

/**
 * One Silero v5 model per process, shared by every call: windows submitted by all sessions
 * during one turn of the event loop are scored in a single batched ONNX Runtime run, each
 * with its own LSTM state. Fifty per-call model instances evict each other's weights from
 * the cache and cost several times more per window than one shared model fed a batch.
 *
 * The model's inputs are `input` [B, context + window] (the window prefixed with the last
 * samples of the previous one), `state` [2, B, 128] and `sr`; outputs `output` [B, 1] (speech
 * probability) and `stateN` [2, B, 128].
 */
type OnnxRuntime = typeof import("onnxruntime-node");
type InferenceSession = import("onnxruntime-node").InferenceSession;

/** Floats of LSTM state per call: 2 layers × 128. */
export const SILERO_STATE_SIZE = 256;
const LAYER_STATE = 128;
/** Largest batch per run; more waiting windows go in the next run. */
const MAX_BATCH = 256;

interface WindowRequest {
  input: Float32Array;
  state: Float32Array;
  nextState: Float32Array;
  resolve(probability: number): void;
  reject(error: unknown): void;
}

export interface SileroBatchStats {
  runs: number;
  windows: number;
  largestBatch: number;
}

export class SileroBatchRunner {
  readonly windowSamples: number;
  readonly contextSamples: number;
  private readonly queue: WindowRequest[] = [];
  private scheduled = false;
  private running = false;
  private readonly counters: SileroBatchStats = { runs: 0, windows: 0, largestBatch: 0 };
  /** Batch inputs, reused run after run (one run at a time): this path runs 31 times a second per call. */
  private readonly batchInput: Float32Array;
  private readonly batchState: Float32Array;
  private readonly rate: import("onnxruntime-node").Tensor;

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly session: InferenceSession,
    readonly sampleRate: 8000 | 16000,
  ) {
    this.windowSamples = sampleRate === 16000 ? 512 : 256;
    this.contextSamples = sampleRate === 16000 ? 64 : 32;
    this.batchInput = new Float32Array(MAX_BATCH * (this.contextSamples + this.windowSamples));
    this.batchState = new Float32Array(2 * MAX_BATCH * LAYER_STATE);
    this.rate = new ort.Tensor("int64", BigInt64Array.of(BigInt(sampleRate)), []);
  }

  /**
   * Score one window (`contextSamples + windowSamples` floats) given the call's state; the
   * state after it is written to `nextState`. Resolves to the speech probability.
   */
  infer(input: Float32Array, state: Float32Array, nextState: Float32Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, state, nextState, resolve, reject });
      this.schedule();
    });
  }

  stats(): SileroBatchStats {
    return { ...this.counters };
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this loop turn, so frames that arrived on
    // many sockets together (or a tick of a benchmark) share one run.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.running = true;
    const size = batch.length;
    const width = this.contextSamples + this.windowSamples;
    try {
      // Tensors over the front of the reused buffers; `state` is [layer][batch][128].
      const input = this.batchInput.subarray(0, size * width);
      const state = this.batchState.subarray(0, 2 * size * LAYER_STATE);
      for (let b = 0; b < size; b++) {
        const request = batch[b]!;
        input.set(request.input, b * width);
        state.set(request.state.subarray(0, LAYER_STATE), b * LAYER_STATE);
        state.set(request.state.subarray(LAYER_STATE), (size + b) * LAYER_STATE);
      }
      const { Tensor } = this.ort;
      const output = await this.session.run({
        input: new Tensor("float32", input, [size, width]),
        state: new Tensor("float32", state, [2, size, LAYER_STATE]),
        sr: this.rate,
      });
      const probabilities = output.output!.data as Float32Array;
      const next = output.stateN!.data as Float32Array;
      this.counters.runs++;
      this.counters.windows += size;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, size);
      for (let b = 0; b < size; b++) {
        const request = batch[b]!;
        request.nextState.set(next.subarray(b * LAYER_STATE, (b + 1) * LAYER_STATE), 0);
        request.nextState.set(
          next.subarray((size + b) * LAYER_STATE, (size + b + 1) * LAYER_STATE),
          LAYER_STATE,
        );
        request.resolve(probabilities[b]!);
      }
    } catch (error) {
      for (const request of batch) request.reject(error);
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

/** onnxruntime-node is not installed or its binary does not load on this platform. */
export class OnnxRuntimeMissingError extends SpeechEngineUnavailableError {}

let runtime: Promise<OnnxRuntime> | undefined;

/** Whether onnxruntime-node can be loaded here (it is an optional engine). */
export async function loadOnnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import("onnxruntime-node").then(
    (module) => ((module as { default?: OnnxRuntime }).default ?? module) as OnnxRuntime,
  );
  try {
    return await runtime;
  } catch (error) {
    runtime = undefined;
    throw new OnnxRuntimeMissingError(
      "silero",
      "The ONNX Runtime for Node (onnxruntime-node) could not be loaded.",
      "npm install onnxruntime-node (its CPU binaries ship in the package).",
      { cause: error },
    );
  }
}

const runners = new Map<string, Promise<SileroBatchRunner>>();

/** The process-wide runner for a model file and sample rate, loaded once. */
export function sharedSileroRunner(model: string, sampleRate: 8000 | 16000): Promise<SileroBatchRunner> {
  const key = `${sampleRate}:${model}`;
  let runner = runners.get(key);
  if (!runner) {
    runner = (async () => {
      const ort = await loadOnnxRuntime();
      try {
        const session = await ort.InferenceSession.create(model, {
          // One thread per run: calls are parallel across sessions already, and these
          // machines are small; the batch, not threads, is what makes a run cheap.
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
        });
        return new SileroBatchRunner(ort, session, sampleRate);
      } catch (error) {
        throw new SpeechEngineUnavailableError(
          "silero",
          `Could not load the Silero model at ${model}.`,
          "re-pull it with `oratio models pull silero-vad`.",
          { cause: error },
        );
      }
    })();
    runners.set(key, runner);
    runner.catch(() => runners.delete(key));
  }
  return runner;
}
