import { existsSync } from "node:fs";
import path from "node:path";
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from "@oratio/core/speech";
import { SpeechEngineUnavailableError } from "@oratio/core/speech";
import {
  createFliteTextToSpeech,
  createPocketsphinxSpeechToText,
  createSileroVad,
  createWebRtcVad,
  SILERO_MODEL_FILE,
} from "@oratio/speech";
import type { AgentConfig } from "../routes/agents/agents.schemas.ts";

export type VoiceSettings = NonNullable<AgentConfig["voice"]>;

/** The speech engines one call runs on; the call owns them and closes them when it ends. */
export interface VoiceEngines {
  vad: VoiceActivityDetector;
  stt: SpeechToText;
  tts: TextToSpeech;
  close(): Promise<void>;
}

export interface VoiceEngineOptions {
  /** Rate of the caller audio (16000 browser, 8000 telephony); the VAD runs at this rate. */
  sampleRate: 8000 | 16000;
  /** Model store for Silero VAD. */
  modelsDir: string;
}

/**
 * Builds the engines an agent's voice settings name. Local engines only: PocketSphinx for
 * recognition and flite for speech, Silero VAD when its model is in the store and WebRTC
 * VAD otherwise. A provider this server cannot run is a SpeechEngineUnavailableError that
 * says what to change, never a silent substitute.
 */
export async function createVoiceEngines(
  settings: VoiceSettings | undefined,
  options: VoiceEngineOptions,
): Promise<VoiceEngines> {
  const sttProvider = settings?.stt?.provider ?? "pocketsphinx";
  const ttsProvider = settings?.tts?.provider ?? "flite";
  if (sttProvider !== "pocketsphinx") {
    throw new SpeechEngineUnavailableError(
      sttProvider,
      `Speech recognition with ${sttProvider} is not available on this server.`,
      'set the agent\'s voice.stt.provider to "pocketsphinx".',
    );
  }
  if (ttsProvider !== "flite") {
    throw new SpeechEngineUnavailableError(
      ttsProvider,
      `Speech synthesis with ${ttsProvider} is not available on this server.`,
      'set the agent\'s voice.tts.provider to "flite".',
    );
  }
  const stt = await createPocketsphinxSpeechToText();
  const vad = existsSync(path.join(options.modelsDir, SILERO_MODEL_FILE))
    ? await createSileroVad({ modelsDir: options.modelsDir, sampleRate: options.sampleRate })
    : await createWebRtcVad({ sampleRate: options.sampleRate });
  let tts: ReturnType<typeof createFliteTextToSpeech>;
  try {
    tts = createFliteTextToSpeech(settings?.tts?.voice ? { voice: settings.tts.voice } : {});
  } catch (error) {
    vad.close();
    throw error;
  }
  return {
    vad,
    stt,
    tts,
    async close() {
      vad.close();
      await tts.close();
    },
  };
}
