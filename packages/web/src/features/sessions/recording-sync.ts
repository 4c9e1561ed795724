import type { TranscriptEntry } from "@oratio/sdk";

/**
 * The transcript entry being heard at `ms` into the recording: the last one (by its offset)
 * that started at or before it. Entries without an offset (tool calls, citations, turn
 * figures) are never the current one.
 */
export function entryAt(entries: TranscriptEntry[], ms: number): number | null {
  let best: TranscriptEntry | null = null;
  for (const entry of entries) {
    if (entry.audioOffsetMs === null || entry.audioOffsetMs > ms) continue;
    // Entries come in transcript order; of two that start together, the later one wins.
    if (!best || entry.audioOffsetMs >= (best.audioOffsetMs ?? 0)) best = entry;
  }
  return best?.seq ?? null;
}

/** `m:ss`, as a player shows time. */
export function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Voice and phone sessions record their calls. */
export const hasRecording = (channel: string) => channel === "voice" || channel === "phone";
