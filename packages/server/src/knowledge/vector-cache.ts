import { chunks, type Database, knowledgeBases, type OrgScope } from "@oratio/db";
import { eq, inArray, sql } from "drizzle-orm";

/**
 * The exact vector scan in process, for databases without pgvector. Scanning in SQL
 * (`unnest` per row) costs about 150 ms per thousand 384-dimension vectors; the same dot
 * products over a Float32Array take microseconds. So the vectors of a knowledge base (per
 * model) are loaded once and kept; every search first reads the bases' `vectors_version`,
 * which a trigger bumps whenever their chunk vectors change (migration 0009), and reloads
 * when it moved — so writes by any server instance are seen by the next search.
 */
export interface CachedHit {
  chunkId: string;
  similarity: number;
}

interface Entry {
  fingerprint: string;
  ids: string[];
  /** Row-major, `dims` floats per chunk, unit length. */
  matrix: Float32Array;
  /** The set was larger than the cache may hold: scan it in SQL until it changes. */
  oversized: boolean;
  lastUsed: number;
}

/** Floats kept in memory across all bases (256 MB: 160k chunks of 384 dimensions); bigger sets are scanned in SQL. */
export const MAX_CACHED_FLOATS = 64_000_000;

const caches = new WeakMap<Database, Map<string, Entry>>();

function cacheOf(db: Database): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

function scoped(scope: OrgScope, knowledgeBaseIds: string[], ref: string) {
  return scope.where(
    chunks,
    inArray(chunks.knowledgeBaseId, knowledgeBaseIds),
    eq(chunks.embeddingModel, ref),
  );
}

/**
 * Reads `array_send(real[])`: PostgreSQL's binary array format (big-endian): ndim, has-nulls
 * flag, element type, then per dimension its length and lower bound, then per element its
 * byte length and value. Binary, because parsing the text form of thousands of long arrays
 * costs seconds. Returns false when the vector is not `dims` long (another vector size).
 */
function readVector(bytes: Uint8Array, dims: number, into: Float32Array, offset: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getInt32(0) !== 1 || view.getInt32(12) !== dims) return false;
  let at = 20;
  let sum = 0;
  for (let i = 0; i < dims; i++) {
    if (view.getInt32(at) !== 4) return false; // a null element
    const x = view.getFloat32(at + 4);
    into[offset + i] = x;
    sum += x * x;
    at += 8;
  }
  return sum > 0;
}

/**
 * The `limit` nearest chunks by an in-process scan, or undefined when the set is too large
 * to hold (the caller then scans in SQL).
 */
export async function cachedVectorSearch(
  scope: OrgScope,
  knowledgeBaseIds: string[],
  ref: string,
  unit: readonly number[],
  limit: number,
): Promise<CachedHit[] | undefined> {
  const dims = unit.length;
  // Read before the vectors: a change committed in between only causes one more reload.
  const versions = await scope.db
    .select({ id: knowledgeBases.id, version: knowledgeBases.vectorsVersion })
    .from(knowledgeBases)
    .where(scope.where(knowledgeBases, inArray(knowledgeBases.id, knowledgeBaseIds)));
  if (versions.length === 0) return [];
  const fingerprint = versions
    .map((v) => `${v.id}:${v.version}`)
    .sort()
    .join(",");
  const key = `${scope.orgId}|${ref}|${dims}|${[...knowledgeBaseIds].sort().join(",")}`;
  const cache = cacheOf(scope.db);
  let entry = cache.get(key);
  if (!entry || entry.fingerprint !== fingerprint) {
    const rows = await scope.db
      .select({ id: chunks.id, vector: sql<Uint8Array>`array_send(${chunks.embedding})` })
      .from(chunks)
      .where(scoped(scope, knowledgeBaseIds, ref));
    if (rows.length * dims > MAX_CACHED_FLOATS) {
      entry = { fingerprint, ids: [], matrix: new Float32Array(0), oversized: true, lastUsed: 0 };
    } else {
      const matrix = new Float32Array(rows.length * dims);
      const ids: string[] = [];
      for (const row of rows) {
        if (readVector(toBytes(row.vector), dims, matrix, ids.length * dims)) ids.push(row.id);
      }
      entry = {
        fingerprint,
        ids,
        matrix: matrix.subarray(0, ids.length * dims),
        oversized: false,
        lastUsed: 0,
      };
    }
    cache.set(key, entry);
    evict(cache, key);
  }
  entry.lastUsed = performance.now();
  return entry.oversized ? undefined : nearest(entry, unit, limit);
}

/** node-postgres gives bytea as a Buffer; PGlite as a Uint8Array; both are Uint8Arrays. */
function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string" && value.startsWith("\\x")) return Buffer.from(value.slice(2), "hex");
  throw new TypeError("array_send did not return bytes");
}

/** Drops the least recently used sets until the cache fits its budget (the newest always stays). */
function evict(cache: Map<string, Entry>, keep: string): void {
  let total = 0;
  for (const entry of cache.values()) total += entry.matrix.length;
  const byAge = [...cache].filter(([key]) => key !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
  for (const [key, entry] of byAge) {
    if (total <= MAX_CACHED_FLOATS) break;
    cache.delete(key);
    total -= entry.matrix.length;
  }
}

function nearest(entry: Entry, unit: readonly number[], limit: number): CachedHit[] {
  const dims = unit.length;
  const query = Float32Array.from(unit);
  const { ids, matrix } = entry;
  // Keeps the best `limit` rows in a small sorted list: one pass, no sort of every score.
  const best: { row: number; score: number }[] = [];
  const before = (a: { row: number; score: number }, b: { row: number; score: number }) =>
    a.score > b.score || (a.score === b.score && ids[a.row]! < ids[b.row]!);
  for (let row = 0; row < ids.length; row++) {
    let dot = 0;
    const offset = row * dims;
    for (let i = 0; i < dims; i++) dot += matrix[offset + i]! * query[i]!;
    const hit = { row, score: dot };
    if (best.length === limit && !before(hit, best[limit - 1]!)) continue;
    let at = best.length;
    while (at > 0 && before(hit, best[at - 1]!)) at--;
    best.splice(at, 0, hit);
    if (best.length > limit) best.pop();
  }
  // Same order as the SQL scans: similarity, then chunk id for ties.
  return best.map((h) => ({ chunkId: ids[h.row]!, similarity: h.score }));
}
