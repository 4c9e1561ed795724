/**
 * Typed frames that flow through a voice pipeline. Three categories decide how a processor
 * treats them:
 * - `system`: handled the moment they arrive, ahead of anything queued, and never dropped
 *   (inbound audio, interruption, cancel, speaking events, errors);
 * - `control`: ordered with data, but kept when an interruption flushes the queue (end,
 *   response and TTS boundaries);
 * - `data`: ordered and dropped by an interruption (transcripts, LLM text, TTS audio).
 */
export type Frame =
  // system
  | { type: "start" }
  | { type: "cancel"; reason?: string }
  | { type: "input-audio"; samples: Int16Array; sampleRate: number }
  | { type: "interruption" }
  | { type: "user-started-speaking" }
  | { type: "user-stopped-speaking" }
  | { type: "error"; error: unknown; processor: string }
  // control
  | { type: "end" }
  | { type: "llm-response-start" }
  | { type: "llm-response-end" }
  | { type: "tts-started" }
  | { type: "tts-stopped" }
  // data
  | { type: "transcript"; text: string; final: boolean }
  | { type: "llm-text"; text: string }
  | { type: "tts-text"; text: string }
  | { type: "output-audio"; samples: Int16Array; sampleRate: number }
  | { type: "custom"; name: string; data: unknown };

export type FrameType = Frame["type"];
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;
export type FrameCategory = "system" | "control" | "data";

const CATEGORIES: Record<FrameType, FrameCategory> = {
  start: "system",
  cancel: "system",
  "input-audio": "system",
  interruption: "system",
  "user-started-speaking": "system",
  "user-stopped-speaking": "system",
  error: "system",
  end: "control",
  "llm-response-start": "control",
  "llm-response-end": "control",
  "tts-started": "control",
  "tts-stopped": "control",
  transcript: "data",
  "llm-text": "data",
  "tts-text": "data",
  "output-audio": "data",
  custom: "data",
};

export function frameCategory(frame: Frame): FrameCategory {
  return CATEGORIES[frame.type];
}
