import { type Database, knowledgeBases, type OrgScope } from "@oratio/db";
import { isNotNull } from "drizzle-orm";
import { type EmbeddingChoice, embeddingChoiceOf } from "./embedding-models.ts";

/**
 * Which of an organization's knowledge bases name an embedding model, kept in process so a
 * search over bases without one costs exactly the full-text search and nothing more. This
 * process forgets the answer whenever it changes a base's model; changes made by another
 * server instance are seen within `TTL_MS`.
 */
const TTL_MS = 5_000;

interface Known {
  at: number;
  bases: Promise<Map<string, EmbeddingChoice>>;
}

const caches = new WeakMap<Database, Map<string, Known>>();

function cacheOf(db: Database): Map<string, Known> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

export function embeddedBases(scope: OrgScope): Promise<Map<string, EmbeddingChoice>> {
  const cache = cacheOf(scope.db);
  const known = cache.get(scope.orgId);
  if (known && performance.now() - known.at < TTL_MS) return known.bases;
  const bases = (async () => {
    const rows = await scope.db
      .select({
        id: knowledgeBases.id,
        embeddingProviderId: knowledgeBases.embeddingProviderId,
        embeddingModel: knowledgeBases.embeddingModel,
      })
      .from(knowledgeBases)
      .where(scope.where(knowledgeBases, isNotNull(knowledgeBases.embeddingModel)));
    const found = new Map<string, EmbeddingChoice>();
    for (const row of rows) {
      const choice = embeddingChoiceOf(row);
      if (choice) found.set(row.id, choice);
    }
    return found;
  })();
  cache.set(scope.orgId, { at: performance.now(), bases });
  bases.catch(() => cache.delete(scope.orgId));
  return bases;
}

/** Call after changing a base's embedding model, so this process's next search sees it. */
export function forgetEmbeddedBases(scope: OrgScope): void {
  cacheOf(scope.db).delete(scope.orgId);
}
