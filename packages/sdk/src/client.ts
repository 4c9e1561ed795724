import { type FetchLike, Http, type RefreshLock } from "./http.ts";
import { agentsResource } from "./resources/agents.ts";
import { analyticsResource } from "./resources/analytics.ts";
import { apiKeysResource } from "./resources/api-keys.ts";
import { authResource } from "./resources/auth.ts";
import { builderResource } from "./resources/builder.ts";
import { eventsResource } from "./resources/events.ts";
import { invitationsResource } from "./resources/invitations.ts";
import { jobsResource } from "./resources/jobs.ts";
import { knowledgeResource } from "./resources/knowledge.ts";
import { meResource } from "./resources/me.ts";
import { membersResource } from "./resources/members.ts";
import { notificationsResource } from "./resources/notifications.ts";
import { organizationsResource } from "./resources/organizations.ts";
import { phoneNumbersResource } from "./resources/phone-numbers.ts";
import { providersResource } from "./resources/providers.ts";
import { RawTransport } from "./resources/raw.ts";
import { sessionsResource } from "./resources/sessions.ts";
import { toolsResource } from "./resources/tools.ts";
import { memoryTokenStore, type TokenStore } from "./token-store.ts";
import { voiceResource } from "./voice/voice-resource.ts";

export interface ClientOptions {
  /** Where the Oratio server is, e.g. `http://localhost:3000`; `""` for the page's own origin. */
  baseUrl: string;
  /** Defaults to the global fetch. Any `(Request) => Promise<Response>` works (e.g. `app.fetch`). */
  fetch?: FetchLike;
  /** Where signed-in users' tokens live; defaults to memory. */
  tokenStore?: TokenStore;
  /** Authenticate with an API key (`ora_…`) instead of a signed-in user. */
  apiKey?: string;
  /** The organization to act in, for users who belong to several. */
  organizationId?: string | null;
  /**
   * Serialises token refreshes across clients sharing one token store (browser tabs sharing
   * localStorage), since a refresh token works once. Defaults to no cross-client lock.
   */
  refreshLock?: RefreshLock;
}

/** A typed client for the Oratio API. Each resource is one small module under resources/. */
export function createClient(options: ClientOptions) {
  const fetchFn: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const http = new Http({
    baseUrl: options.baseUrl,
    fetch: fetchFn,
    tokenStore: options.tokenStore ?? memoryTokenStore(),
    apiKey: options.apiKey,
    organizationId: options.organizationId,
    refreshLock: options.refreshLock,
  });
  const raw = new RawTransport({ baseUrl: options.baseUrl, fetch: fetchFn, apiKey: options.apiKey, http });
  return {
    auth: authResource(http),
    me: meResource(http),
    organizations: organizationsResource(http),
    members: membersResource(http),
    invitations: invitationsResource(http),
    apiKeys: apiKeysResource(http),
    agents: agentsResource(http),
    builder: builderResource(http, raw),
    providers: providersResource(http),
    phoneNumbers: phoneNumbersResource(http),
    knowledgeBases: knowledgeResource(http, raw),
    jobs: jobsResource(http, raw),
    tools: toolsResource(http),
    sessions: sessionsResource(http, raw),
    notifications: notificationsResource(http),
    analytics: analyticsResource(http),
    events: eventsResource(raw, { http, baseUrl: options.baseUrl, apiKey: options.apiKey }),
    voice: voiceResource(http, { baseUrl: options.baseUrl, apiKey: options.apiKey }),
    tokenStore: http.tokenStore,
    /** Selects the organization later requests act in (`null`: the user's first). */
    setOrganization(organizationId: string | null): void {
      http.organizationId = organizationId;
    },
    get organizationId(): string | null {
      return http.organizationId;
    },
  };
}

export type OratioClient = ReturnType<typeof createClient>;
