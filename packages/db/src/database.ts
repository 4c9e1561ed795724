import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { markEmbedded } from "./prepared.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** The driver-independent Drizzle handle every repository takes. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseDriver = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseDriver;
  /** Human-readable description without credentials, for logs and test output. */
  label: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

export type OpenDatabaseOptions =
  | { driver: "postgres"; url: string; poolSize?: number }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

/** Opens the database and applies pending migrations before returning. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.driver === "postgres") return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | undefined,
): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // pgvector ships with PGlite: knowledge vector ranking uses it when a base has embeddings.
  const client = new PGlite({ dataDir, loadDataDir, extensions: { vector } });
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  await migratePglite(db as never, { migrationsFolder });
  await client.exec("create extension if not exists vector");
  markEmbedded(db);
  return {
    db,
    driver: "pglite",
    label: dataDir ? `PGlite (${dataDir})` : "PGlite (in memory)",
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await client.close();
    },
  };
}

/** Arbitrary constant: serialises migrations when several instances start at once. */
const MIGRATION_LOCK_ID = 7_301_955;

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server closes (restart, failover, a terminated backend, a database
  // dropped after `close()`) is already discarded by the pool and replaced on the next query,
  // where a real outage surfaces as that query's error. Without a listener the pool's `error`
  // event would be an uncaught exception that takes the whole process down.
  pool.on("error", () => {});
  const lockClient = await pool.connect();
  try {
    await lockClient.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzlePg(lockClient, { schema }), { migrationsFolder });
    await enablePgvector(lockClient);
  } finally {
    await lockClient.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    lockClient.release();
  }
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    label: `PostgreSQL (${redactUrl(url)})`,
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Turns pgvector on where the server has it installed, for faster knowledge vector ranking.
 * It is optional: without it (or without the right to create it) vectors are compared by
 * an exact scan in SQL, so a failure here is not an error.
 */
async function enablePgvector(client: pg.PoolClient): Promise<void> {
  try {
    const { rows } = await client.query(
      "select 1 from pg_available_extensions where name = 'vector' and installed_version is null",
    );
    if (rows.length > 0) await client.query("create extension if not exists vector");
  } catch {}
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable url)";
  }
}
