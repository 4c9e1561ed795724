import path from "node:path";
import { type DatabaseHandle, openDatabase } from "@oratio/db";
import type { Logger } from "pino";
import { createKeyring } from "./auth/keyring.ts";
import { resolveSecretKey } from "./auth/secret-key.ts";
import { registerBuilderJobs } from "./builder/index.ts";
import type { AppDeps } from "./context.ts";
import { ConversationService } from "./conversation/conversation-service.ts";
import { type ModelRegistry, ProviderModelRegistry } from "./conversation/models.ts";
import type { Config } from "./env.ts";
import { InProcessEventBus } from "./events/bus.ts";
import { SqlJobQueue } from "./jobs/sql-job-queue.ts";
import { registerKnowledgeJobs } from "./knowledge/ingest-jobs.ts";
import { createLogger } from "./logger.ts";
import { RateLimits } from "./middleware/rate-limit.ts";
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
  const conversations = new ConversationService({
    bus,
    logger,
    models: overrides.models ?? new ProviderModelRegistry(config, keyring.encryption),
    prices: config.modelPrices,
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
  };
  registerKnowledgeJobs(deps);
  registerBuilderJobs(deps, overrides.models ?? new ProviderModelRegistry(config, keyring.encryption));
  return deps;
}
