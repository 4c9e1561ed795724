import type { Database, DatabaseHandle, OrgScope, Role } from "@oratio/db";
import type { Logger } from "pino";
import type { ApiKeyCache } from "./auth/api-key-cache.ts";
import type { Keyring } from "./auth/keyring.ts";
import type { ConversationService } from "./conversation/conversation-service.ts";
import type { Config } from "./env.ts";
import type { EventBus } from "./events/bus.ts";
import type { JobQueue } from "./jobs/types.ts";
import type { RateLimits } from "./middleware/rate-limit.ts";

/** Long-lived services the routes use; built once by createApp's caller. */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  db: Database;
  keyring: Keyring;
  logger: Logger;
  rateLimits: RateLimits;
  apiKeys: ApiKeyCache;
  bus: EventBus;
  jobs: JobQueue;
  conversations: ConversationService;
}

/** Who is calling: a signed-in user or an API key (which belongs to exactly one organization). */
export type Identity =
  | { kind: "user"; userId: string }
  | { kind: "api-key"; apiKeyId: string; orgId: string; scopes: string[] };

/** The organization a request acts in, with the caller's role there. */
export interface OrgContext {
  orgId: string;
  role: Role;
  scope: OrgScope;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    identity: Identity | undefined;
    org: OrgContext | undefined;
  };
};
