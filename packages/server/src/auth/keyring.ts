import { createHmac, hkdfSync } from "node:crypto";

/**
 * Purpose-specific keys derived from the master secret with HKDF, so the token-signing
 * key never doubles as the encryption key or the API-key hashing key.
 */
export interface Keyring {
  /** HS256 key for access tokens. */
  jwt: Uint8Array;
  /** AES-256-GCM key for credentials stored at rest. */
  encryption: Buffer;
  /** Keyed hash for high-entropy secrets we store (API keys, refresh tokens, invitations). */
  hashSecret(secret: string): string;
}

export function createKeyring(masterSecret: string): Keyring {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", masterSecret, "oratio", info, 32));
  const hashKey = derive("secret-hash");
  return {
    jwt: new Uint8Array(derive("jwt")),
    encryption: derive("encryption"),
    hashSecret: (secret) => createHmac("sha256", hashKey).update(secret).digest("base64url"),
  };
}
