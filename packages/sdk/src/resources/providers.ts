import { type Http, type RequestOptions, segment } from "../http.ts";

export const PROVIDER_TYPES = [
  "openai",
  "anthropic",
  "google",
  "bedrock",
  "openai-compatible",
  "local",
  "deepgram",
  "elevenlabs",
  "cartesia",
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** A model provider credential; the API key is write-only (`hasApiKey` says whether one is set). */
export interface Provider {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string | null;
  hasApiKey: boolean;
  options: Record<string, unknown>;
  createdAt: string;
}

export interface CreateProviderInput {
  name: string;
  type: ProviderType;
  baseUrl?: string;
  apiKey?: string;
  options?: Record<string, unknown>;
}

export function providersResource(http: Http) {
  return {
    create(input: CreateProviderInput, options?: RequestOptions): Promise<Provider> {
      return http.post<Provider>("/providers", input, options);
    },
    async list(options?: RequestOptions): Promise<Provider[]> {
      return (await http.get<{ data: Provider[] }>("/providers", options)).data;
    },
    delete(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/providers/${segment(id)}`, options);
    },
  };
}
