import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Phone numbers"];
const write = { role: "admin", scope: "agents:write" } as const;

export const PhoneNumberSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    agentId: z.uuid(),
    provider: z.enum(["twilio"]),
    createdAt: Timestamp,
  })
  .openapi("PhoneNumber");

export const CreatePhoneNumberBody = z
  .strictObject({
    number: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "Use E.164 format, e.g. +15551234567")
      .openapi({ example: "+15551234567" }),
    agentId: z.uuid(),
    twilioAuthToken: z
      .string()
      .min(8)
      .max(200)
      .openapi({ description: "Write-only: verifies Twilio's webhook signatures" }),
  })
  .openapi("CreatePhoneNumberRequest");

export const createPhoneNumber = defineRoute(write, {
  method: "post",
  path: "/phone-numbers",
  tags,
  summary: "Route a Twilio phone number to an agent",
  request: { body: { content: { "application/json": { schema: CreatePhoneNumberBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: PhoneNumberSchema } } },
    409: { description: "The number is already routed" },
  },
});

export const listPhoneNumbers = defineRoute(
  { role: "admin", scope: "agents:read" },
  {
    method: "get",
    path: "/phone-numbers",
    tags,
    summary: "Phone numbers of the organization",
    responses: {
      200: {
        description: "Phone numbers",
        content: { "application/json": { schema: z.object({ data: z.array(PhoneNumberSchema) }) } },
      },
    },
  },
);

export const deletePhoneNumber = defineRoute(write, {
  method: "delete",
  path: "/phone-numbers/{id}",
  tags,
  summary: "Stop routing a phone number",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" } },
});
