export { type DriveOptions, pushSilenceUntil, pushSpeech } from "./drive-session.ts";
export { FakeSpeechToText, type FakeSpeechToTextOptions } from "./fake-speech-to-text.ts";
export { FakeTextToSpeech, type FakeTextToSpeechOptions } from "./fake-text-to-speech.ts";
