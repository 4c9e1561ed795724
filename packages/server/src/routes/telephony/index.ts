import { createRouter } from "../../lib/openapi.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";
import * as handlers from "./telephony.handlers.ts";
import * as routes from "./telephony.routes.ts";

/** Twilio's webhook and media stream: public routes, authenticated by signatures and stream tokens. */
export function telephonyRouter(upgradeWebSocket: UpgradeWebSocket) {
  // biome-ignore lint/suspicious/noExplicitAny: TwiML and WebSocket upgrades answer outside JSON schemas
  const untyped = (handler: unknown) => handler as any;
  return createRouter()
    .openapi(routes.twilioVoiceWebhook, untyped(handlers.twilioVoiceWebhook))
    .openapi(routes.twilioStream, untyped(handlers.twilioStreamHandler(upgradeWebSocket)));
}
