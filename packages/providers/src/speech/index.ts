export {
  CARTESIA_DEFAULT_VOICE,
  CARTESIA_VERSION,
  type CartesiaTextToSpeechOptions,
  createCartesiaTextToSpeech,
} from "./cartesia-tts.ts";
export {
  createDeepgramSpeechToText,
  type DeepgramSpeechToTextOptions,
  deepgramListenUrl,
  type SpeechSocket,
  type SpeechSocketOpener,
} from "./deepgram-stt.ts";
export {
  createElevenLabsTextToSpeech,
  ELEVENLABS_DEFAULT_VOICE,
  type ElevenLabsTextToSpeechOptions,
} from "./elevenlabs-tts.ts";
export type { FetchLike } from "./http.ts";
export { createOpenAISpeechToText, type OpenAISpeechToTextOptions } from "./openai-stt.ts";
export {
  createOpenAITextToSpeech,
  OPENAI_TTS_SAMPLE_RATE,
  type OpenAITextToSpeechOptions,
} from "./openai-tts.ts";
export { Pcm16Reader, pcm16Bytes, pcm16Wav } from "./pcm.ts";
