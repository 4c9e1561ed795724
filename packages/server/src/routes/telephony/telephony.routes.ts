import { z } from "@hono/zod-openapi";
import { defineRoute } from "../../lib/openapi.ts";

const tags = ["Telephony"];

export const twilioVoiceWebhook = defineRoute("public", {
  method: "post",
  path: "/telephony/twilio/voice",
  tags,
  summary: "Twilio voice webhook: answers an incoming call with a Media Stream to the number's agent",
  description:
    "Set this URL as the phone number's voice webhook in Twilio. The form-encoded request is " +
    "authenticated by its X-Twilio-Signature (the number's auth token); `To` selects the phone " +
    "number and its agent, `From` becomes the session's caller.",
  responses: {
    200: { description: "TwiML", content: { "text/xml": { schema: z.string() } } },
  },
});

export const twilioStream = defineRoute("public", {
  method: "get",
  path: "/telephony/twilio/stream",
  tags,
  summary: "Twilio Media Stream WebSocket (authenticated by the stream token in the start message)",
  responses: {
    101: { description: "Switching to the WebSocket protocol" },
    426: { description: "Not a WebSocket upgrade request" },
  },
});
