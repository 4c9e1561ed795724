import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Resolves the master secret: ORATIO_SECRET_KEY when set, otherwise a random key kept
 * in `<dataDir>/secret.key` (created on first start, readable only by its owner). Several
 * server instances sharing one PostgreSQL must be given the same ORATIO_SECRET_KEY.
 */
export function resolveSecretKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (key.length >= 32) return key;
    throw new Error(`${file} is shorter than 32 characters; delete it to generate a new key`);
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
