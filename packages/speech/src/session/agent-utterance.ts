import type { TextToSpeech } from "@oratio/core/speech";
import { AsyncQueue } from "@oratio/core/speech";
import { Resampler } from "../audio/resampler.ts";
import { SentenceChunker } from "../text/sentence-chunker.ts";
import type { AgentOutput } from "./agent-output.ts";
import type { AgentUtteranceKind } from "./types.ts";

/**
 * One thing the agent says (greeting, reply, reprompt): text deltas → clauses → TTS →
 * frames in the AgentOutput. Text generation and synthesis overlap: clause n+1 is
 * generated while clause n is synthesised, and clause n plays while n+1 is synthesised.
 * Wall-clock marks are kept for the turn's latency metrics.
 */
export interface AgentUtteranceOptions {
  kind: AgentUtteranceKind;
  turn: number;
  text: (signal: AbortSignal) => AsyncIterable<string>;
  tts: TextToSpeech;
  output: AgentOutput;
  outputSampleRate: number;
  voice?: string;
  speed?: number;
  now: () => number;
  /** New frames are ready to hand out. */
  onAudio: () => void;
}

export interface UtteranceMarks {
  textStart?: number;
  firstDelta?: number;
  firstClause?: number;
  ttsRequest?: number;
  ttsFirstByte?: number;
}

export class AgentUtterance {
  readonly kind: AgentUtteranceKind;
  readonly turn: number;
  readonly marks: UtteranceMarks = {};
  private readonly controller = new AbortController();
  private generated = "";

  constructor(private readonly options: AgentUtteranceOptions) {
    this.kind = options.kind;
    this.turn = options.turn;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get generatedText(): string {
    return this.generated.trim();
  }

  abort(): void {
    this.controller.abort(new DOMException("The agent was interrupted.", "AbortError"));
  }

  /** Produce all audio. Resolves when done or aborted; rejects on a provider failure. */
  async run(): Promise<void> {
    const clauses = new AsyncQueue<string>();
    const producing = this.produceClauses(clauses).catch((error: unknown) => clauses.end(error));
    try {
      for await (const clause of clauses) {
        if (this.signal.aborted) break;
        await this.speak(clause);
      }
    } catch (error) {
      if (this.signal.aborted) return;
      // A failed synthesis also stops generation.
      this.controller.abort(error);
      await producing;
      throw error;
    }
    await producing;
  }

  private async produceClauses(clauses: AsyncQueue<string>): Promise<void> {
    const chunker = new SentenceChunker();
    const { now } = this.options;
    this.marks.textStart = now();
    for await (const delta of this.options.text(this.signal)) {
      if (this.signal.aborted) break;
      if (typeof delta !== "string" || delta.length === 0) continue;
      this.marks.firstDelta ??= now();
      this.generated += delta;
      for (const clause of chunker.push(delta)) {
        this.marks.firstClause ??= now();
        clauses.push(clause);
      }
    }
    const rest = chunker.flush();
    if (rest && !this.signal.aborted) {
      this.marks.firstClause ??= now();
      clauses.push(rest);
    }
    clauses.end();
  }

  private async speak(clause: string): Promise<void> {
    const { tts, output, now } = this.options;
    output.beginSegment(clause);
    this.marks.ttsRequest ??= now();
    let resampler: Resampler | undefined;
    for await (const chunk of tts.synthesize(clause, {
      voice: this.options.voice,
      speed: this.options.speed,
      signal: this.signal,
    })) {
      if (this.signal.aborted) return;
      this.marks.ttsFirstByte ??= now();
      if (chunk.sampleRate !== this.options.outputSampleRate) {
        resampler ??= new Resampler(chunk.sampleRate, this.options.outputSampleRate);
        output.appendAudio(resampler.process(chunk.samples));
      } else {
        output.appendAudio(chunk.samples);
      }
      this.options.onAudio();
    }
    if (resampler) {
      // Push the filter's delay line out so the clause's last sound is not cut.
      const tail = Math.ceil((resampler.latencySamples * resampler.inputRate) / resampler.outputRate) + 2;
      output.appendAudio(resampler.process(new Int16Array(tail)));
    }
    output.endSegment();
    this.options.onAudio();
  }
}
