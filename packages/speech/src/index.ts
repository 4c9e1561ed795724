export { AudioFramer, type AudioFramerOptions } from "./audio/framer.ts";
export { alawToPcm16, mulawToPcm16, pcm16ToAlaw, pcm16ToMulaw } from "./audio/g711.ts";
export {
  clampToInt16,
  concatPcm16,
  float32ToPcm16,
  pcm16FromBytes,
  pcm16ToBytes,
  pcm16ToFloat32,
  rms,
} from "./audio/pcm.ts";
export { Resampler, type ResamplerOptions, resample } from "./audio/resampler.ts";
export { deinterleaveStereo, downmixToMono, interleaveStereo } from "./audio/stereo.ts";
export { readWav, type WavAudio, writeWav } from "./audio/wav.ts";
export { modelsDir, requireModelFile } from "./models.ts";
export { type FrameDirection, FrameProcessor, InterruptedError } from "./pipeline/frame-processor.ts";
export {
  type Frame,
  type FrameCategory,
  type FrameOf,
  type FrameType,
  frameCategory,
} from "./pipeline/frames.ts";
export { Pipeline, type PipelineOptions } from "./pipeline/pipeline.ts";
export { MulawAdapter } from "./session/mulaw-adapter.ts";
export type {
  AgentState,
  AgentUtteranceKind,
  EndReason,
  IdleOptions,
  InterruptionOptions,
  Respond,
  RespondContext,
  TranscriptEntry,
  TurnMetrics,
  VoiceSessionEvent,
  VoiceSessionListener,
  VoiceSessionOptions,
} from "./session/types.ts";
export { VoiceSession } from "./session/voice-session.ts";
export {
  createPocketsphinxSpeechToText,
  POCKETSPHINX_INSTALL,
  type PocketsphinxOptions,
} from "./stt/pocketsphinx.ts";
export {
  createWhisperSpeechToText,
  WHISPER_DEFAULT_MODEL,
  WHISPER_INSTALL,
  type WhisperOptions,
  type WhisperSpeechToText,
  whisperModelPath,
} from "./stt/whisper.ts";
export { SentenceChunker, type SentenceChunkerOptions } from "./text/sentence-chunker.ts";
export {
  createFliteTextToSpeech,
  FLITE_VOICES,
  type FliteOptions,
  type FliteTextToSpeech,
} from "./tts/flite.ts";
export {
  createKokoroTextToSpeech,
  createPiperTextToSpeech,
  KOKORO_DEFAULT_MODEL,
  KOKORO_V019_SPEAKERS,
  PIPER_DEFAULT_MODEL,
  type SherpaTextToSpeech,
  type SherpaTextToSpeechOptions,
  type SherpaVoiceFamily,
  sherpaModelDir,
} from "./tts/sherpa-tts.ts";
export {
  InterruptionArbiter,
  type InterruptionArbiterOptions,
  type InterruptionDecision,
} from "./turn/interruption-arbiter.ts";
export { PlayoutTracker } from "./turn/playout-tracker.ts";
export {
  TwilioMediaStreamBridge,
  type TwilioMediaStreamBridgeOptions,
} from "./twilio/media-stream-bridge.ts";
export {
  buildTwilioClear,
  buildTwilioMark,
  buildTwilioMedia,
  parseTwilioMessage,
  type TwilioInboundMessage,
} from "./twilio/media-stream-messages.ts";
export { buildConnectStreamTwiml, type ConnectStreamTwimlOptions } from "./twilio/twiml.ts";
export {
  type EndpointEvent,
  Endpointer,
  type EndpointerOptions,
  type EndpointState,
} from "./vad/endpointer.ts";
export {
  createSileroVad,
  SILERO_MODEL_FILE,
  type SileroRuntime,
  type SileroVadOptions,
} from "./vad/silero.ts";
export { type SileroBatchStats, sharedSileroRunner } from "./vad/silero-batch.ts";
export { SILERO_DEFAULT_MIN_RMS } from "./vad/silero-batched-vad.ts";
export { createWebRtcVad, type WebRtcVadOptions } from "./vad/webrtc.ts";
