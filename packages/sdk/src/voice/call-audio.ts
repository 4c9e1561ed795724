import type { PlaybackQueue } from "./playback-queue.ts";
import type { VoiceConnection, VoiceConnectionEvent } from "./voice-connection.ts";

/** What a call passes on to the page: every event but the agent audio, which it plays. */
export type VoiceCallEvent = Exclude<VoiceConnectionEvent, { type: "audio" }>;

/**
 * Plays a connection's agent audio through `playback` and silences it the moment the
 * server sends `clear` (the caller started speaking over the agent), before anyone else
 * hears of it; every other event goes to `onEvent`. Returns the unsubscribe.
 */
export function playAgentAudio(
  connection: VoiceConnection,
  playback: PlaybackQueue,
  onEvent: (event: VoiceCallEvent) => void,
): () => void {
  return connection.on((event) => {
    if (event.type === "audio") {
      playback.enqueue(event.samples);
      return;
    }
    if (event.type === "clear") playback.clear();
    onEvent(event);
  });
}
