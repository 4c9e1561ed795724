import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * Runs initdb once per test run and saves the result, so each test file's in-memory
 * PGlite starts from a snapshot instead of paying initdb again.
 */
export default async function setup(): Promise<void> {
  if (process.env.ORATIO_TEST_DATABASE_URL || process.env.ORATIO_TEST_PGLITE_SNAPSHOT) return;
  const pglite = new PGlite();
  await pglite.waitReady;
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "oratio-pglite-")), "snapshot.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.ORATIO_TEST_PGLITE_SNAPSHOT = file;
}
