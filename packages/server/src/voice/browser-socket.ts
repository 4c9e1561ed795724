import { ValidationError } from "@oratio/core";
import type { OrgScope } from "@oratio/db";
import { AudioFramer } from "@oratio/speech";
import type { WSContext, WSEvents } from "hono/ws";
import type { AppDeps } from "../context.ts";
import { errorEvent } from "./call-events.ts";
import { VoiceCall, type VoiceCallEvent } from "./voice-call.ts";

/**
 * The browser voice protocol on one WebSocket:
 * - binary frames both ways are mono PCM16 little-endian at 16 kHz (any whole number of
 *   samples up to one second per message; the server re-frames to 20 ms);
 * - text frames are JSON events. Server → client: `ready`, `transcript`, `agent-state`,
 *   `user-speech`, `clear` (drop queued agent audio now), `interrupted`, `resumed`,
 *   `metrics`, `handoff`, `needs-human`, `error`, `ended`. Client → server: `hangup`,
 *   `dtmf` `{digit}`.
 * Bad input is answered with an `error` event and the call goes on. When the socket closes
 * the call ends and its transcript and recording are kept.
 */
export const BROWSER_SAMPLE_RATE = 16000;
const MAX_MESSAGE_BYTES = BROWSER_SAMPLE_RATE * 2;

type Outbound = VoiceCallEvent | { type: string; [key: string]: unknown };

export function browserVoiceEvents(deps: AppDeps, scope: OrgScope, sessionId: string): WSEvents {
  let call: VoiceCall | undefined;
  let closed = false;
  const early: unknown[] = [];
  const framer = new AudioFramer({ sampleRate: BROWSER_SAMPLE_RATE, frameMs: 20 });

  const sendJson = (ws: WSContext, event: Outbound) => {
    if (ws.readyState === 1) ws.send(JSON.stringify(event));
  };
  const relay = (ws: WSContext, event: VoiceCallEvent) => {
    if (ws.readyState !== 1) return;
    if (event.type === "audio") {
      ws.send(new Uint8Array(event.samples.slice().buffer));
    } else if (event.type === "clear-output") sendJson(ws, { type: "clear", atMs: event.atMs });
    else sendJson(ws, event);
  };
  const hangUp = (ws: WSContext) => {
    void call?.finish("hang-up").then(() => ws.close(1000, "call ended"));
  };

  const handle = (data: unknown, ws: WSContext) => {
    const active = call!;
    if (typeof data === "string") {
      let message: { type?: unknown; digit?: unknown };
      try {
        message = JSON.parse(data);
      } catch {
        sendJson(ws, errorEvent(new ValidationError("Control messages must be JSON.")));
        return;
      }
      if (message?.type === "hangup") hangUp(ws);
      else if (
        message?.type === "dtmf" &&
        typeof message.digit === "string" &&
        /^[0-9*#A-D]$/.test(message.digit)
      )
        active.pressKey(message.digit);
      else
        sendJson(
          ws,
          errorEvent(
            new ValidationError(
              'Unknown control message; expected {"type":"hangup"} or {"type":"dtmf","digit":"1"}.',
            ),
          ),
        );
      return;
    }
    const bytes = toBytes(data);
    if (!bytes) {
      sendJson(ws, errorEvent(new ValidationError("Unsupported WebSocket message.")));
      return;
    }
    if (bytes.byteLength === 0 || bytes.byteLength % 2 !== 0 || bytes.byteLength > MAX_MESSAGE_BYTES) {
      sendJson(
        ws,
        errorEvent(
          new ValidationError(
            `Audio must be PCM16 at ${BROWSER_SAMPLE_RATE} Hz: an even number of bytes, at most ${MAX_MESSAGE_BYTES} per message; got ${bytes.byteLength}.`,
          ),
        ),
      );
      return;
    }
    const samples = new Int16Array(bytes.slice().buffer);
    framer.push(samples, (frame) => active.voice.pushAudio(frame));
  };

  return {
    onOpen(_event, ws) {
      VoiceCall.open({ deps, scope, sessionId, transport: "browser" }).then(
        (opened) => {
          call = opened;
          opened.on((event) => relay(ws, event));
          if (closed) {
            void opened.finish("hang-up");
            return;
          }
          sendJson(ws, {
            type: "ready",
            sessionId,
            sampleRate: BROWSER_SAMPLE_RATE,
            frameMs: 20,
            encoding: "pcm16le",
          });
          opened.start();
          for (const data of early.splice(0)) handle(data, ws);
        },
        (error) => {
          sendJson(ws, errorEvent(error));
          ws.close(1011, "voice unavailable");
        },
      );
    },
    onMessage(event, ws) {
      if (call) handle(event.data, ws);
      else early.push(event.data);
    },
    onClose() {
      closed = true;
      void call?.finish("hang-up");
    },
  };
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}
