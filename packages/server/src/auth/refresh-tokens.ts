import { randomUUID } from "node:crypto";
import { UnauthorizedError } from "@oratio/core";
import { type Database, refreshTokens } from "@oratio/db";
import { and, eq, isNull } from "drizzle-orm";
import type { AppDeps } from "../context.ts";
import { generateSecret, signAccessToken } from "./tokens.ts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

const REFRESH_PREFIX = "ort_";

/** Issues an access token and a refresh token; a new login starts a new token family. */
export async function issueTokens(
  deps: AppDeps,
  db: Database,
  userId: string,
  familyId: string = randomUUID(),
): Promise<TokenPair> {
  const refreshToken = generateSecret(REFRESH_PREFIX);
  await db.insert(refreshTokens).values({
    userId,
    familyId,
    tokenHash: deps.keyring.hashSecret(refreshToken),
    expiresAt: new Date(Date.now() + deps.config.refreshTokenTtlSeconds * 1000),
  });
  const accessToken = await signAccessToken(deps.keyring.jwt, userId, deps.config.accessTokenTtlSeconds);
  return { accessToken, refreshToken };
}

/**
 * Exchanges a refresh token for a new pair. Each token works once: presenting one that
 * was already exchanged means it leaked (or a client raced itself), so the whole family
 * is revoked and the user must sign in again.
 */
export async function rotateRefreshToken(deps: AppDeps, presented: string): Promise<TokenPair> {
  const invalid = new UnauthorizedError("The refresh token is invalid, expired or revoked.");
  if (!presented.startsWith(REFRESH_PREFIX)) throw invalid;
  const [row] = await deps.db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, deps.keyring.hashSecret(presented)))
    .limit(1);
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw invalid;
  // Claim the token atomically: of two concurrent presentations only one wins, and the
  // loser is treated as reuse.
  const claimed = await deps.db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await revokeFamily(deps.db, row.familyId);
    deps.logger.warn(
      { userId: row.userId, familyId: row.familyId },
      "refresh token reuse detected; family revoked",
    );
    throw invalid;
  }
  return issueTokens(deps, deps.db, row.userId, row.familyId);
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Logout: revokes the family the token belongs to. Unknown tokens are ignored (idempotent). */
export async function revokeByToken(deps: AppDeps, presented: string): Promise<void> {
  const [row] = await deps.db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, deps.keyring.hashSecret(presented)))
    .limit(1);
  if (row) await revokeFamily(deps.db, row.familyId);
}
