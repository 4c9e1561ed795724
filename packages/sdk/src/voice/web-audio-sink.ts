import type { AudioContextLike, AudioNodeLike } from "./browser-types.ts";
import type { AudioSink, ScheduledChunk } from "./playback-queue.ts";

/**
 * The playback queue's sink in a browser: one AudioBufferSourceNode per chunk, the buffer
 * made at the chunk's own rate (16 kHz) so Web Audio resamples it to the context's rate.
 * Stopping disconnects the node too, so it is silent at once even mid-quantum.
 */
export function webAudioSink(
  context: AudioContextLike,
  output: AudioNodeLike = context.destination,
): AudioSink {
  return {
    get currentTime() {
      return context.currentTime;
    },
    schedule(samples, sampleRate, when, onEnded): ScheduledChunk {
      const buffer = context.createBuffer(1, samples.length, sampleRate);
      buffer.getChannelData(0).set(samples);
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(output);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        source.onended = null;
        source.disconnect();
        onEnded();
      };
      source.onended = finish;
      source.start(when);
      return {
        stop() {
          if (done) return;
          try {
            source.stop();
          } catch {
            // Some engines refuse stop() before start time; disconnecting silences it anyway.
          }
          source.disconnect();
          // Ended is reported later, as the sink contract asks, not from inside clear().
          queueMicrotask(finish);
        },
      };
    },
  };
}
