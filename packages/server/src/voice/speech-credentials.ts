import { SpeechEngineUnavailableError } from "@oratio/core/speech";
import { type OrgScope, type ProviderType, providers } from "@oratio/db";
import { eq } from "drizzle-orm";
import { openSecret } from "../crypto/secret-box.ts";

/** What a cloud speech engine needs from the organization's provider row. */
export interface SpeechCredentials {
  apiKey: string | undefined;
  baseUrl: string | undefined;
}

const LABEL: Record<string, string> = {
  deepgram: "Deepgram",
  elevenlabs: "ElevenLabs",
  cartesia: "Cartesia",
  openai: "OpenAI",
};

/**
 * Reads the provider a voice setting names (`voice.stt.providerId` / `voice.tts.providerId`)
 * within the organization, checks it is of a type that offers this engine, and decrypts its
 * key. Every refusal is a SpeechEngineUnavailableError saying what to configure; the key
 * itself never appears in an error.
 */
export async function speechCredentials(
  scope: OrgScope,
  encryptionKey: Buffer,
  request: {
    engine: string;
    /** `voice.stt` or `voice.tts`, for messages. */
    setting: string;
    providerId: string | undefined;
    types: readonly ProviderType[];
    requireKey: boolean;
  },
): Promise<SpeechCredentials> {
  const { engine, setting, types } = request;
  const label = LABEL[engine] ?? engine;
  const create = `add one with POST /api/v1/providers {"type": "${types[0]}", "name": …, "apiKey": …} and set the agent's ${setting}.providerId to its id.`;
  if (!request.providerId) {
    throw new SpeechEngineUnavailableError(engine, `${label} needs a provider with its API key.`, create);
  }
  const [row] = await scope.db
    .select()
    .from(providers)
    .where(scope.where(providers, eq(providers.id, request.providerId)));
  if (!row) {
    throw new SpeechEngineUnavailableError(
      engine,
      `The provider ${request.providerId} named by ${setting}.providerId does not exist.`,
      create,
    );
  }
  if (!types.includes(row.type)) {
    throw new SpeechEngineUnavailableError(
      engine,
      `The provider "${row.name}" is of type ${row.type}; ${label} speech needs a provider of type ${types.join(" or ")}.`,
      create,
    );
  }
  const apiKey = row.apiKeyEncrypted ? openSecret(encryptionKey, row.apiKeyEncrypted) : undefined;
  if (request.requireKey && !apiKey) {
    throw new SpeechEngineUnavailableError(
      engine,
      `The provider "${row.name}" has no API key.`,
      `add a provider that holds the ${label} API key (POST /api/v1/providers with "apiKey") and set the agent's ${setting}.providerId to it.`,
    );
  }
  return { apiKey, baseUrl: row.baseUrl ?? undefined };
}
