import path from "node:path";
import { type DatabaseHandle, openDatabase } from "@oratio/db";
import type { Logger } from "pino";
import { ApiKeyCache } from "./auth/api-key-cache.ts";
import { createKeyring } from "./auth/keyring.ts";
import { resolveSecretKey } from "./auth/secret-key.ts";
import { registerBuilderJobs } from "./builder/index.ts";
import type { AppDeps } from "./context.ts";
import { ConversationService } from "./conversation/conversation-service.ts";
import { type ModelRegistry, ProviderModelRegistry } from "./conversation/models.ts";
import type { Config } from "./env.ts";
import { InProcessEventBus } from "./events/bus.ts";
import { SqlJobQueue } from "./jobs/sql-job-queue.ts";
import { embeddingModelsFor } from "./knowledge/embedding-models.ts";
import { registerKnowledgeJobs } from "./knowledge/ingest-jobs.ts";
import { createLogger } from "./logger.ts";
import { RateLimits } from "./middleware/rate-limit.ts";
import { registerModelStoreJobs } from "./model-store/pull-job.ts";
import { buildOrgTools } from "./tools/index.ts";

/** Opens the database named by the config: PostgreSQL with DATABASE_URL, else PGlite under the data dir. */
export function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openDatabase({ driver: "postgres", url: config.databaseUrl });
  return openDatabase({ driver: "pglite", dataDir: path.join(config.dataDir, "db") });
}

/** Wires the long-lived services around an opened database. Nothing starts until `jobs.start()`. */
export interface DepsOverrides {
  /** Replaces the provider-backed model registry (tests use scripted models). */
  models?: ModelRegistry;
}

/** Wires the long-lived services around an opened database. Nothing starts until `jobs.start()`. */
export function buildDeps(
  config: Config,
  database: DatabaseHandle,
  logger: Logger = createLogger(config.logLevel),
  overrides: DepsOverrides = {},
): AppDeps {
  const bus = new InProcessEventBus();
  const jobs = new SqlJobQueue({
    db: database.db,
    bus,
    logger,
    singleInstance: database.driver === "pglite",
  });
  const keyring = createKeyring(resolveSecretKey(config.secretKey, config.dataDir));
  // One registry for conversations and the agent builder, so both reuse built models.
  const models = overrides.models ?? new ProviderModelRegistry(config, keyring.encryption);
  const conversations = new ConversationService({
    bus,
    logger,
    models,
    prices: config.modelPrices,
    embeddings: embeddingModelsFor({ config, keyring }),
    // Resolved lazily: the executor needs the finished deps (config, keyring, logger).
    toolsFor: (scope, ids) => buildOrgTools(deps, scope, ids),
  });
  const deps: AppDeps = {
    config,
    bus,
    jobs,
    conversations,
    database,
    db: database.db,
    keyring,
    logger,
    rateLimits: new RateLimits(config.rateLimit),
    apiKeys: new ApiKeyCache(),
  };
  registerKnowledgeJobs(deps);
  registerModelStoreJobs(deps);
  registerBuilderJobs(deps, models);
  return deps;
}
