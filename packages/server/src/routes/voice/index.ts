import { createRouter } from "../../lib/openapi.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";
import * as handlers from "./voice.handlers.ts";
import * as routes from "./voice.routes.ts";

/** The browser voice WebSocket and call recordings of sessions. */
export function voiceRouter(upgradeWebSocket: UpgradeWebSocket) {
  // biome-ignore lint/suspicious/noExplicitAny: WebSocket upgrades and WAV bodies answer outside JSON schemas
  const untyped = (handler: unknown) => handler as any;
  return createRouter()
    .openapi(routes.voiceSocket, untyped(handlers.voiceSocketHandler(upgradeWebSocket)))
    .openapi(routes.getRecording, untyped(handlers.getRecording));
}
