export * from "./async-queue.ts";
export * from "./audio.ts";
export * from "./errors.ts";
export * from "./speech-to-text.ts";
export * from "./text-to-speech.ts";
export * from "./utterance-transcription-stream.ts";
export * from "./voice-activity-detector.ts";
