import { ForbiddenError, NotFoundError, OratioError, ValidationError } from "@oratio/core";
import { OrgScope, phoneNumbers } from "@oratio/db";
import { buildConnectStreamTwiml } from "@oratio/speech";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { validateRequest } from "twilio/lib/webhooks/webhooks.js";
import type { AppEnv } from "../../context.ts";
import { openSecret } from "../../crypto/secret-box.ts";
import { signStreamToken } from "../../voice/stream-token.ts";
import { twilioStreamEvents } from "../../voice/twilio-socket.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";

export const STREAM_PATH = "/api/v1/telephony/twilio/stream";

/** The URL the caller used, as Twilio signed it (proxy headers only when trusted). */
function publicUrl(c: Context<AppEnv>): URL {
  const url = new URL(c.req.url);
  if (c.get("deps").config.trustProxy) {
    const proto = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim();
    const host = c.req.header("x-forwarded-host")?.split(",")[0]?.trim();
    if (proto) url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url;
}

export async function twilioVoiceWebhook(c: Context<AppEnv>) {
  const deps = c.get("deps");
  const form = await c.req.parseBody().catch(() => {
    throw new ValidationError("The Twilio webhook body must be form-encoded.");
  });
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) if (typeof value === "string") params[key] = value;
  const to = params.To;
  if (!to) throw new ValidationError("The webhook has no `To` number.");
  const [number] = await deps.db.select().from(phoneNumbers).where(eq(phoneNumbers.number, to));
  if (!number) throw new NotFoundError("Phone number");

  const signature = c.req.header("x-twilio-signature") ?? "";
  const url = publicUrl(c);
  const authToken = openSecret(deps.keyring.encryption, number.authTokenEncrypted);
  if (!signature || !validateRequest(authToken, signature, url.toString(), params)) {
    throw new ForbiddenError("The X-Twilio-Signature does not match this request.");
  }

  const scope = new OrgScope(deps.db, number.orgId);
  const session = await deps.conversations.createSession(scope, {
    agentId: number.agentId,
    channel: "phone",
    caller: params.From,
    metadata: {
      provider: "twilio",
      to,
      ...(params.CallSid ? { callSid: params.CallSid } : {}),
      ...(params.AccountSid ? { accountSid: params.AccountSid } : {}),
    },
  });
  const grant = { orgId: number.orgId, sessionId: session.id };
  const twiml = buildConnectStreamTwiml({
    url: `wss://${url.host}${STREAM_PATH}`,
    parameters: { ...grant, token: signStreamToken(deps.keyring, grant) },
  });
  return c.body(twiml, 200, { "content-type": "text/xml; charset=utf-8" });
}

export function twilioStreamHandler(upgradeWebSocket: UpgradeWebSocket) {
  return async (c: Context<AppEnv>) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new OratioError(426, "upgrade-required", "Upgrade required", {
        detail: "Twilio Media Streams connect here over WebSocket.",
      });
    }
    return upgradeWebSocket(c, twilioStreamEvents(c.get("deps")));
  };
}
