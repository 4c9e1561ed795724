import { existsSync } from "node:fs";
import path from "node:path";
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from "@oratio/core/speech";
import type { OrgScope } from "@oratio/db";
import { type AllowList, createGuardedFetch, openGuardedWebSocket } from "@oratio/net";
import {
  createCartesiaTextToSpeech,
  createDeepgramSpeechToText,
  createElevenLabsTextToSpeech,
  createOpenAISpeechToText,
  createOpenAITextToSpeech,
  type FetchLike,
  type SpeechSocketOpener,
} from "@oratio/providers";
import {
  createFliteTextToSpeech,
  createPocketsphinxSpeechToText,
  createSileroVad,
  createWebRtcVad,
  SILERO_MODEL_FILE,
} from "@oratio/speech";
import type { AgentConfig } from "../routes/agents/agents.schemas.ts";
import { sharedSherpaVoice, sharedWhisper } from "./local-speech-engines.ts";
import { speechCredentials } from "./speech-credentials.ts";

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
  /** The agent's language (BCP 47, e.g. `en` or `es-MX`), for voices that need to be told. */
  language?: string;
  /** Model store (Silero VAD, Whisper, Piper, Kokoro). */
  modelsDir: string;
  /** The call's organization: cloud engines read its provider rows. */
  scope: OrgScope;
  /** Opens provider API keys. */
  encryptionKey: Buffer;
  /** Destinations the outbound guard lets through (ORATIO_FETCH_ALLOW). */
  fetchAllow: AllowList;
}

/**
 * Builds the engines an agent's voice settings name. Local: PocketSphinx or Whisper for
 * recognition, flite, Piper or Kokoro for speech. Cloud: Deepgram or OpenAI recognition,
 * ElevenLabs, OpenAI or Cartesia speech, with the key of the provider the setting names and
 * every connection through the outbound guard. VAD: Silero when its model is in the store (one
 * model shared by every call, scoring their windows in batched runs),
 * WebRTC otherwise. An engine this server cannot run is a SpeechEngineUnavailableError
 * that says what to install, pull or configure, never a silent substitute.
 */
export async function createVoiceEngines(
  settings: VoiceSettings | undefined,
  options: VoiceEngineOptions,
): Promise<VoiceEngines> {
  const stt = await createSpeechToText(settings?.stt, options);
  const tts = await createTextToSpeech(settings?.tts, options);
  const vad = existsSync(path.join(options.modelsDir, SILERO_MODEL_FILE))
    ? await createSileroVad({ modelsDir: options.modelsDir, sampleRate: options.sampleRate })
    : await createWebRtcVad({ sampleRate: options.sampleRate });
  return {
    vad,
    stt: stt.engine,
    tts: tts.engine,
    async close() {
      vad.close();
      await tts.close?.();
    },
  };
}

type SttSettings = VoiceSettings["stt"] | undefined;
type TtsSettings = VoiceSettings["tts"] | undefined;

async function createSpeechToText(
  settings: SttSettings,
  options: VoiceEngineOptions,
): Promise<{ engine: SpeechToText }> {
  const provider = settings?.provider ?? "pocketsphinx";
  switch (provider) {
    case "pocketsphinx":
      return { engine: await createPocketsphinxSpeechToText() };
    case "whisper":
      return { engine: await sharedWhisper(options.modelsDir, settings?.model) };
    case "deepgram": {
      const { apiKey, baseUrl } = await speechCredentials(options.scope, options.encryptionKey, {
        engine: "deepgram",
        setting: "voice.stt",
        providerId: settings?.providerId,
        types: ["deepgram"],
        requireKey: true,
      });
      const allowList = options.fetchAllow;
      const openWebSocket: SpeechSocketOpener = (url, socketOptions) =>
        openGuardedWebSocket(url, { ...socketOptions, allowList });
      return {
        engine: createDeepgramSpeechToText({
          apiKey: apiKey!,
          baseUrl,
          openWebSocket,
          model: settings?.model,
          sampleRate: options.sampleRate,
        }),
      };
    }
    case "openai": {
      const { apiKey, baseUrl } = await speechCredentials(options.scope, options.encryptionKey, {
        engine: "openai",
        setting: "voice.stt",
        providerId: settings?.providerId,
        types: ["openai", "openai-compatible"],
        requireKey: false,
      });
      return {
        engine: createOpenAISpeechToText({
          apiKey,
          baseUrl,
          fetch: guardedFetch(options),
          model: settings?.model,
        }),
      };
    }
  }
}

async function createTextToSpeech(
  settings: TtsSettings,
  options: VoiceEngineOptions,
): Promise<{ engine: TextToSpeech; close?: () => Promise<void> }> {
  const provider = settings?.provider ?? "flite";
  const voice = settings?.voice;
  switch (provider) {
    case "flite": {
      const engine = createFliteTextToSpeech(voice ? { voice } : {});
      return { engine, close: () => engine.close() };
    }
    case "piper":
    case "kokoro":
      return { engine: await sharedSherpaVoice(provider, options.modelsDir, settings?.model) };
    case "openai": {
      const { apiKey, baseUrl } = await speechCredentials(options.scope, options.encryptionKey, {
        engine: "openai",
        setting: "voice.tts",
        providerId: settings?.providerId,
        types: ["openai", "openai-compatible"],
        requireKey: false,
      });
      return {
        engine: createOpenAITextToSpeech({
          apiKey,
          baseUrl,
          fetch: guardedFetch(options),
          model: settings?.model,
          voice,
        }),
      };
    }
    case "elevenlabs":
    case "cartesia": {
      const { apiKey, baseUrl } = await speechCredentials(options.scope, options.encryptionKey, {
        engine: provider,
        setting: "voice.tts",
        providerId: settings?.providerId,
        types: [provider],
        requireKey: true,
      });
      const common = {
        apiKey: apiKey!,
        baseUrl,
        fetch: guardedFetch(options),
        model: settings?.model,
        voice,
      };
      return {
        engine:
          provider === "elevenlabs"
            ? createElevenLabsTextToSpeech(common)
            : // Cartesia names languages by their ISO 639-1 code alone.
              createCartesiaTextToSpeech({
                ...common,
                language: options.language?.split("-")[0]?.toLowerCase(),
              }),
      };
    }
  }
}

function guardedFetch(options: VoiceEngineOptions): FetchLike {
  // undici's fetch types differ from the DOM ones only nominally.
  return createGuardedFetch({ allowList: options.fetchAllow }) as unknown as FetchLike;
}
