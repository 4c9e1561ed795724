import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "./database.ts";

/**
 * A fresh, migrated database for one test file. Runs against PostgreSQL when
 * `ORATIO_TEST_DATABASE_URL` is set (a throwaway database is created and dropped),
 * otherwise against an in-memory PGlite, seeded from a pre-migrated snapshot when
 * `ORATIO_TEST_PGLITE_SNAPSHOT` names one (saves the initdb cost per file).
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const adminUrl = process.env.ORATIO_TEST_DATABASE_URL;
  if (adminUrl) return openThrowawayPostgres(adminUrl);
  const snapshot = process.env.ORATIO_TEST_PGLITE_SNAPSHOT;
  const loadDataDir = snapshot ? new Blob([readFileSync(snapshot)]) : undefined;
  return openDatabase({ driver: "pglite", loadDataDir });
}

async function openThrowawayPostgres(adminUrl: string): Promise<DatabaseHandle> {
  const name = `oratio_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ driver: "postgres", url: url.toString(), poolSize: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
