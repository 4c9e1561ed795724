import { randomBytes } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";

const ISSUER = "oratio";
const AUDIENCE = "oratio-api";

export interface AccessTokenClaims {
  userId: string;
}

export async function signAccessToken(key: Uint8Array, userId: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ typ: "access" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/** Returns the claims, or undefined for any invalid, expired or foreign token. */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
): Promise<AccessTokenClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    if (payload.typ !== "access" || typeof payload.sub !== "string") return undefined;
    return { userId: payload.sub };
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}

/** Opaque random secrets with a recognisable prefix (`ora_` API keys, `ort_` refresh tokens…). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function looksLikeJwt(token: string): boolean {
  return token.split(".").length === 3;
}
