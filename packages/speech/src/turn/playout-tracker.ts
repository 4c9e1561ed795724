/**
 * Remembers which agent text has actually been played to the caller, so that after a
 * barge-in the transcript says what the caller heard, not what the LLM wrote. Each segment
 * (usually a sentence) is its text plus the audio synthesised for it; the transport reports
 * samples as it plays them. A partly played segment is cut at the word reached in
 * proportion to its audio played.
 */
interface Segment {
  text: string;
  samples: number;
}

export class PlayoutTracker {
  private segments: Segment[] = [];
  private playedSamples = 0;

  /** Start a segment of agent speech; following `addAudio` calls belong to it. */
  beginSegment(text: string): void {
    this.segments.push({ text, samples: 0 });
  }

  /** Audio produced for the current segment (call per TTS chunk). */
  addAudio(sampleCount: number): void {
    const current = this.segments.at(-1);
    if (current) current.samples += sampleCount;
  }

  /** Samples the transport has sent to the caller since the last reset. */
  markPlayed(sampleCount: number): void {
    this.playedSamples += sampleCount;
  }

  get totalPlayedSamples(): number {
    return this.playedSamples;
  }

  /** Everything produced has been played. */
  get finished(): boolean {
    return this.playedSamples >= this.segments.reduce((sum, segment) => sum + segment.samples, 0);
  }

  /** The text the caller has heard so far, truncated at the playout point. */
  heardText(): string {
    const heard: string[] = [];
    let remaining = this.playedSamples;
    for (const segment of this.segments) {
      if (remaining <= 0) break;
      if (remaining >= segment.samples) {
        heard.push(segment.text);
        remaining -= segment.samples;
        continue;
      }
      const words = segment.text.split(/\s+/).filter(Boolean);
      const count = Math.floor((remaining / segment.samples) * words.length);
      if (count > 0) heard.push(words.slice(0, count).join(" "));
      break;
    }
    return heard.join(" ");
  }

  /** Start a new agent turn. */
  reset(): void {
    this.segments = [];
    this.playedSamples = 0;
  }
}
