import type { Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { createRouter } from "../../lib/openapi.ts";
import { busStream } from "../../lib/sse.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";
import { orgEventSocket } from "./event-socket.ts";
import { orgEvents } from "./events.routes.ts";

/** One path, two transports: a WebSocket upgrade gets the socket, anything else SSE. */
export function eventsRouter(upgradeWebSocket: UpgradeWebSocket) {
  // biome-ignore lint/suspicious/noExplicitAny: the WebSocket answer lies outside the JSON schemas
  const handler: any = async (c: Context<AppEnv>) => {
    const { orgId } = orgOf(c);
    if (c.req.header("upgrade")?.toLowerCase() === "websocket") {
      const { bus, config } = c.get("deps");
      return upgradeWebSocket(c, orgEventSocket(bus, orgId, config.events));
    }
    return busStream(c, orgId, {});
  };
  return createRouter().openapi(orgEvents, handler);
}
