import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam } from "../../lib/openapi.ts";

const tags = ["Voice"];

export const voiceSocket = defineRoute(
  { role: "member", scope: "sessions:write" },
  {
    method: "get",
    path: "/sessions/{id}/voice",
    tags,
    summary: "Talk to a session's agent over a WebSocket",
    description:
      "Upgrade to a WebSocket (credentials in the Authorization header or `?access_token=`). " +
      "Binary messages both ways are mono PCM16 little-endian at 16 kHz; text messages are JSON " +
      "events: `ready`, `transcript`, `agent-state`, `user-speech`, `clear`, `interrupted`, `resumed`, " +
      "`metrics`, `handoff`, `needs-human`, `error`, `ended` from the server; `hangup` and " +
      "`dtmf` {digit} from the client. Closing the socket ends the call; the transcript and " +
      "recording are kept.",
    request: { params: IdParam },
    responses: {
      101: { description: "Switching to the WebSocket protocol" },
      409: { description: "The session has ended" },
      426: { description: "Not a WebSocket upgrade request" },
    },
  },
);

export const getRecording = defineRoute(
  { role: "viewer", scope: "sessions:read" },
  {
    method: "get",
    path: "/sessions/{id}/recording",
    tags,
    summary: "The call recording: stereo WAV, caller left, agent right",
    request: { params: IdParam },
    responses: {
      200: {
        description: "Recording",
        content: { "audio/wav": { schema: z.string().openapi({ format: "binary" }) } },
      },
    },
  },
);
