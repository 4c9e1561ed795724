import { timingSafeEqual } from "node:crypto";
import type { Keyring } from "../auth/keyring.ts";

/**
 * The short-lived credential a telephony media stream presents in its `start` message:
 * it names the session and organization and expires, and is a keyed hash, so only this
 * server could have put it in the TwiML it answered the call with.
 */
export interface StreamGrant {
  orgId: string;
  sessionId: string;
}

const DEFAULT_TTL_MS = 5 * 60_000;

export function signStreamToken(keyring: Keyring, grant: StreamGrant, ttlMs = DEFAULT_TTL_MS): string {
  const expires = Date.now() + ttlMs;
  return `${expires}.${mac(keyring, grant, expires)}`;
}

/** Whether `token` grants `grant` now. */
export function verifyStreamToken(keyring: Keyring, grant: StreamGrant, token: string): boolean {
  const [expiresText, signature] = token.split(".");
  const expires = Number(expiresText);
  if (!signature || !Number.isSafeInteger(expires) || expires < Date.now()) return false;
  const expected = Buffer.from(mac(keyring, grant, expires));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function mac(keyring: Keyring, grant: StreamGrant, expires: number): string {
  return keyring.hashSecret(`twilio-stream.${grant.orgId}.${grant.sessionId}.${expires}`);
}
