import { readFile } from "node:fs/promises";
import { NotFoundError, OratioError } from "@oratio/core";
import type { Context } from "hono";
import type { AppEnv } from "../../context.ts";
import { assertOpen, findSession } from "../../conversation/session-store.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { browserVoiceEvents } from "../../voice/browser-socket.ts";
import { recordingPath } from "../../voice/voice-call.ts";
import type { UpgradeWebSocket } from "../../voice/websockets.ts";

/** Checks the session before upgrading, so a stranger gets a 404 and never a socket. */
export function voiceSocketHandler(upgradeWebSocket: UpgradeWebSocket) {
  return async (c: Context<AppEnv>) => {
    const { scope } = orgOf(c);
    const session = await findSession(scope, c.req.param("id")!);
    assertOpen(session);
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new OratioError(426, "upgrade-required", "Upgrade required", {
        detail: "Open this endpoint as a WebSocket.",
      });
    }
    return upgradeWebSocket(c, browserVoiceEvents(c.get("deps"), scope, session.id));
  };
}

export async function getRecording(c: Context<AppEnv>) {
  const { scope, orgId } = orgOf(c);
  const session = await findSession(scope, c.req.param("id")!);
  let wav: Buffer;
  try {
    wav = await readFile(recordingPath(c.get("deps").config.dataDir, orgId, session.id));
  } catch {
    throw new NotFoundError("Recording");
  }
  return c.body(new Uint8Array(wav), 200, {
    "content-type": "audio/wav",
    "content-disposition": `attachment; filename="${session.id}.wav"`,
  });
}
