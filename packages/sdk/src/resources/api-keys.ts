import { type Http, type RequestOptions, segment } from "../http.ts";

/** The areas an API key's scopes name (`<area>:read`, `<area>:write`, `<area>:*`). */
export const SCOPE_AREAS = [
  "agents",
  "knowledge",
  "sessions",
  "tools",
  "providers",
  "analytics",
  "notifications",
  "jobs",
  "organization",
] as const;

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the key, to tell keys apart. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** A new key; the secret `key` is returned only in this response. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface CreateApiKeyInput {
  name: string;
  /** `*` (the default), `<area>:*`, `<area>:read` or `<area>:write`. */
  scopes?: string[];
}

export function apiKeysResource(http: Http) {
  return {
    create(input: CreateApiKeyInput, options?: RequestOptions): Promise<CreatedApiKey> {
      return http.post<CreatedApiKey>("/api-keys", input, options);
    },
    async list(options?: RequestOptions): Promise<ApiKey[]> {
      return (await http.get<{ data: ApiKey[] }>("/api-keys", options)).data;
    },
    /** Revokes a key; it stops working at once. */
    revoke(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/api-keys/${segment(id)}`, options);
    },
  };
}
