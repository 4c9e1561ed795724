import type { SpeechToText, SpeechToTextStream } from "@oratio/core/speech";

/**
 * Caller utterances → transcripts. One recognition stream per utterance, so the end of a
 * stream (`end()` → iteration ends) says for certain that the utterance's transcript is
 * complete. The next stream is opened ahead of time ("warm spare"), because engines that
 * start a process or socket per stream (PocketSphinx: ~0.4 s) would otherwise cost that at
 * every turn. A short ring of recent audio is pushed first, so the syllables spoken before
 * the detector fired are heard.
 */
export interface SpeechTurnsOptions {
  language?: string;
  /** Frames of recent audio pushed when an utterance starts. */
  preRollFrames: number;
  finalTimeoutMs: number;
  onPartial: (text: string) => void;
  onError: (error: unknown) => void;
}

interface ActiveUtterance {
  stream: SpeechToTextStream | undefined;
  /** Audio that arrived before the stream was open. */
  waiting: Int16Array[];
  ended: boolean;
  /** Resolves when the caller stops speaking. */
  whenEnded: Promise<void>;
  markEnded: () => void;
  text: Promise<string>;
}

export class SpeechTurns {
  private spare: Promise<SpeechToTextStream | undefined> | undefined;
  private readonly ring: Int16Array[] = [];
  private active: ActiveUtterance | undefined;
  private readonly open = new Set<SpeechToTextStream>();
  private closed = false;
  /** Utterances whose transcript has not arrived yet. */
  pending = 0;

  constructor(
    private readonly stt: SpeechToText,
    private readonly options: SpeechTurnsOptions,
  ) {}

  get inUtterance(): boolean {
    return this.active !== undefined;
  }

  /** Open the next stream in the background. */
  warm(): void {
    if (this.spare || this.closed) return;
    this.spare = this.stt.stream({ language: this.options.language }).then(
      (stream) => {
        if (this.closed) {
          stream.close();
          return undefined;
        }
        this.open.add(stream);
        return stream;
      },
      (error: unknown) => {
        this.options.onError(error);
        return undefined;
      },
    );
  }

  /** Every caller frame, at the STT rate. */
  audio(frame: Int16Array): void {
    this.ring.push(frame);
    if (this.ring.length > this.options.preRollFrames) this.ring.shift();
    const active = this.active;
    if (!active) return;
    if (active.stream) active.stream.push(frame);
    else active.waiting.push(frame);
  }

  /** Caller speech started: route audio (with pre-roll) to a stream. */
  begin(): void {
    if (this.active || this.closed) return;
    this.warm();
    const opening = this.spare!;
    this.spare = undefined;
    let markEnded = () => {};
    const whenEnded = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const utterance: ActiveUtterance = {
      stream: undefined,
      waiting: [...this.ring],
      ended: false,
      whenEnded,
      markEnded,
      text: Promise.resolve(""),
    };
    utterance.text = opening.then((stream) => this.collect(stream, utterance));
    this.active = utterance;
    this.warm();
  }

  /** Caller speech ended: resolves with the utterance's transcript ("" for noise). */
  end(): Promise<string> {
    const utterance = this.active;
    if (!utterance) return Promise.resolve("");
    this.active = undefined;
    utterance.ended = true;
    utterance.markEnded();
    utterance.stream?.end();
    this.pending++;
    return utterance.text.finally(() => {
      this.pending--;
    });
  }

  close(): void {
    this.closed = true;
    this.active?.markEnded();
    this.active = undefined;
    for (const stream of this.open) stream.close();
    this.open.clear();
  }

  private async collect(stream: SpeechToTextStream | undefined, utterance: ActiveUtterance): Promise<string> {
    if (!stream) return "";
    for (const frame of utterance.waiting) stream.push(frame);
    utterance.waiting = [];
    utterance.stream = stream;
    if (utterance.ended) stream.end();
    const finals: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const iterating = (async () => {
      for await (const event of stream) {
        if (event.type === "final") {
          if (event.text.trim()) finals.push(event.text.trim());
          this.options.onPartial(finals.join(" "));
        } else {
          this.options.onPartial([...finals, event.text].join(" ").trim());
        }
      }
    })();
    // An engine that never ends its stream must not hold the turn forever: after end() it
    // gets `finalTimeoutMs`, then what it said so far is used.
    const deadline = utterance.whenEnded.then(
      () =>
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.options.finalTimeoutMs);
        }),
    );
    try {
      await Promise.race([iterating, deadline]);
    } catch (error) {
      if (!this.closed) this.options.onError(error);
    } finally {
      clearTimeout(timer);
      stream.close();
      this.open.delete(stream);
    }
    return finals.join(" ");
  }
}
