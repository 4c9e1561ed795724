import { OratioError } from "@oratio/core";
import type { OrgScope } from "@oratio/db";
import type { Context } from "hono";
import type { WSEvents } from "hono/ws";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../../context.ts";
import { assertOpen, findSession } from "../../conversation/session-store.ts";
import { createRouter, defineRoute, IdParam } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";

export const sessionSocket = defineRoute(
  { role: "member", scope: "sessions:write" },
  {
    method: "get",
    path: "/sessions/{id}/stream",
    tags: ["Sessions"],
    summary: "Chat with a session over a WebSocket",
    description:
      "Upgrade to a WebSocket (credentials in the Authorization header or `?access_token=`). Send " +
      '`{"type":"message","text":"…"}` to speak as the caller and `{"type":"cancel"}` to stop a reply. ' +
      "Every live event of the session arrives as JSON `{type, …}`: the same events as the SSE reply " +
      "(`text-delta`, `tool-call`, `tool-result`, `citation`, `handoff`, `needs-human`, `turn-end`), plus " +
      "`user-message` and `operator-message` (from a human who took over) and `error` for a bad frame.",
    request: { params: IdParam },
    responses: {
      101: { description: "Switching to the WebSocket protocol" },
      409: { description: "The session has ended" },
      426: { description: "Not a WebSocket upgrade request" },
    },
  },
);

const ClientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("message"), text: z.string().trim().min(1).max(20_000) }),
  z.strictObject({ type: z.literal("cancel") }),
]);

/**
 * Live session events go out as they are published (the caller's own turns included, so
 * several tabs see the same conversation); frames from the client start or cancel turns.
 */
function streamEvents(deps: AppDeps, scope: OrgScope, sessionId: string): WSEvents {
  let unsubscribe = () => {};
  return {
    onOpen(_event, ws) {
      unsubscribe = deps.bus.subscribe(scope.orgId, (event) => {
        const data = event.data as { sessionId?: string; event?: unknown };
        if (event.type === "session.stream" && data.sessionId === sessionId)
          ws.send(JSON.stringify(data.event));
      });
    },
    onMessage(message, ws) {
      const sendError = (code: string, detail: string) =>
        ws.send(
          JSON.stringify({
            type: "error",
            error: { code, message: detail, retryable: false },
            at: Date.now(),
          }),
        );
      let frame: z.infer<typeof ClientFrame>;
      try {
        frame = ClientFrame.parse(JSON.parse(String(message.data)));
      } catch {
        sendError("validation-error", 'Expected {"type":"message","text":"…"} or {"type":"cancel"}.');
        return;
      }
      if (frame.type === "cancel") {
        deps.conversations.cancel(sessionId);
        return;
      }
      deps.conversations.sendMessage(scope, sessionId, frame.text).catch((error: unknown) => {
        sendError("turn-failed", error instanceof Error ? error.message : String(error));
      });
    },
    onClose() {
      // The turn in progress, if any, finishes and is stored; only the live feed stops.
      unsubscribe();
    },
  };
}

export function sessionStreamRouter(upgradeWebSocket: UpgradeWebSocket) {
  // biome-ignore lint/suspicious/noExplicitAny: WebSocket upgrades answer outside JSON schemas
  const handler: any = async (c: Context<AppEnv>) => {
    const { scope } = orgOf(c);
    const session = await findSession(scope, c.req.param("id")!);
    assertOpen(session);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new OratioError(426, "upgrade-required", "Upgrade required", {
        detail: "Open this endpoint as a WebSocket.",
      });
    }
    return upgradeWebSocket(c, streamEvents(c.get("deps"), scope, session.id));
  };
  return createRouter().openapi(sessionSocket, handler);
}
