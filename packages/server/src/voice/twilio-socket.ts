import { OrgScope } from "@oratio/db";
import { parseTwilioMessage, type TwilioInboundMessage, TwilioMediaStreamBridge } from "@oratio/speech";
import type { WSContext, WSEvents } from "hono/ws";
import type { AppDeps } from "../context.ts";
import { verifyStreamToken } from "./stream-token.ts";
import { VoiceCall } from "./voice-call.ts";

/**
 * A Twilio Media Stream (bidirectional `<Connect><Stream>`). The socket itself is not
 * authenticated: the `start` message must carry the session, organization and stream token
 * this server put in its TwiML, or the socket is closed. After that the stream is joined to
 * a VoiceCall through TwilioMediaStreamBridge: μ-law 8 kHz both ways, `clear` on barge-in,
 * marks for what the caller heard, keypad presses to the agent, `stop` ends the call.
 */
export function twilioStreamEvents(deps: AppDeps): WSEvents {
  let call: VoiceCall | undefined;
  let bridge: TwilioMediaStreamBridge | undefined;
  let opening = false;
  let closed = false;
  const early: string[] = [];
  const log = deps.logger.child({ component: "twilio-stream" });

  const deliver = (raw: string) => {
    if (raw.includes('"stop"')) {
      const parsed = tryParse(raw);
      if (parsed?.event === "stop") {
        void call!.finish("hang-up");
      }
    }
    bridge!.handleMessage(raw);
  };

  const begin = (raw: string, start: Extract<TwilioInboundMessage, { event: "start" }>, ws: WSContext) => {
    const { sessionId = "", orgId = "", token = "" } = start.start.customParameters;
    if (!orgId || !sessionId || !verifyStreamToken(deps.keyring, { orgId, sessionId }, token)) {
      log.warn({ streamSid: start.streamSid }, "Media stream refused: bad or expired stream token");
      ws.close(1008, "invalid stream token");
      return;
    }
    opening = true;
    VoiceCall.open({ deps, scope: new OrgScope(deps.db, orgId), sessionId, transport: "twilio" }).then(
      (opened) => {
        call = opened;
        if (closed) {
          void opened.finish("hang-up");
          return;
        }
        bridge = new TwilioMediaStreamBridge(opened.voice, {
          send: (message) => {
            if (ws.readyState === 1) ws.send(message);
          },
          onError: (error) => log.warn({ err: error, sessionId }, "Bad media stream message"),
          onDtmf: (digit) => opened.pressKey(digit),
        });
        opened.on((event) => {
          if (event.type === "ended")
            void opened.finish(event.reason).then(() => ws.close(1000, "call ended"));
        });
        bridge.handleMessage(raw);
        for (const message of early.splice(0)) deliver(message);
      },
      (error) => {
        log.error({ err: error, sessionId }, "Could not start the voice call");
        ws.close(1011, "voice unavailable");
      },
    );
  };

  return {
    onMessage(event, ws) {
      const raw = typeof event.data === "string" ? event.data : undefined;
      if (raw === undefined) {
        log.warn("Ignoring a binary message on a Twilio media stream");
        return;
      }
      if (bridge) return deliver(raw);
      if (opening) {
        early.push(raw);
        return;
      }
      const message = tryParse(raw);
      if (!message) log.warn("Ignoring a malformed Twilio media stream message");
      else if (message.event === "start") begin(raw, message, ws);
    },
    onClose() {
      closed = true;
      void call?.finish("hang-up");
    },
  };
}

function tryParse(raw: string): TwilioInboundMessage | undefined {
  try {
    return parseTwilioMessage(raw);
  } catch {
    return undefined;
  }
}
