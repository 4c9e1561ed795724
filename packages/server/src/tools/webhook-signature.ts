import { createHmac, randomUUID } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/**
 * Standard Webhooks (https://www.standardwebhooks.com) headers for one message, so the
 * receiving endpoint can check that the call comes from Oratio and is fresh:
 * `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`.
 * A secret written as `whsec_<base64>` is used as the decoded bytes (the convention of the
 * standard's libraries); any other secret is used as its UTF-8 bytes.
 */
export function signWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): Record<string, string> {
  const key = secret.startsWith(SECRET_PREFIX)
    ? Buffer.from(secret.slice(SECRET_PREFIX.length), "base64")
    : Buffer.from(secret, "utf8");
  const signature = createHmac("sha256", key)
    .update(`${message.id}.${message.timestamp}.${message.body}`)
    .digest("base64");
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(message.timestamp),
    "webhook-signature": `v1,${signature}`,
  };
}

/** A message id; retries of one call reuse it so the endpoint can deduplicate. */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}
