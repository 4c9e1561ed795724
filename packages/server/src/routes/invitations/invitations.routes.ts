import { z } from "@hono/zod-openapi";
import { EmailSchema, OrganizationSchema, RoleSchema } from "../../lib/account-schemas.ts";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Members"];

export const InvitationSchema = z
  .object({ id: z.uuid(), email: z.string(), role: RoleSchema, expiresAt: Timestamp, createdAt: Timestamp })
  .openapi("Invitation");

const TokenBody = z.strictObject({ token: z.string().min(1).openapi({ example: "inv_…" }) });

export const createInvitation = defineRoute(
  { role: "admin", scope: null },
  {
    method: "post",
    path: "/invitations",
    tags,
    summary: "Invite someone by email; the token is returned once, to pass on to the invitee",
    request: {
      body: {
        content: {
          "application/json": {
            schema: z
              .strictObject({ email: EmailSchema, role: RoleSchema.default("member") })
              .openapi("InvitationRequest"),
          },
        },
      },
    },
    responses: {
      201: {
        description: "Invitation created",
        content: { "application/json": { schema: InvitationSchema.extend({ token: z.string() }) } },
      },
    },
  },
);

export const listInvitations = defineRoute(
  { role: "admin", scope: null },
  {
    method: "get",
    path: "/invitations",
    tags,
    summary: "Pending invitations of the current organization",
    responses: {
      200: {
        description: "Pending",
        content: { "application/json": { schema: z.object({ data: z.array(InvitationSchema) }) } },
      },
    },
  },
);

export const revokeInvitation = defineRoute(
  { role: "admin", scope: null },
  {
    method: "delete",
    path: "/invitations/{id}",
    tags,
    summary: "Revoke a pending invitation",
    request: { params: IdParam },
    responses: { 204: { description: "Revoked" } },
  },
);

export const lookupInvitation = defineRoute("public", {
  method: "post",
  path: "/invitations/lookup",
  tags,
  summary: "What an invitation token invites to (for the accept page)",
  request: { body: { content: { "application/json": { schema: TokenBody } } } },
  responses: {
    200: {
      description: "Invitation",
      content: {
        "application/json": {
          schema: z.object({
            organizationName: z.string(),
            email: z.string(),
            role: RoleSchema,
            expiresAt: Timestamp,
          }),
        },
      },
    },
  },
});

export const acceptInvitation = defineRoute("user", {
  method: "post",
  path: "/invitations/accept",
  tags,
  summary: "Accept an invitation as the signed-in user",
  request: { body: { content: { "application/json": { schema: TokenBody } } } },
  responses: {
    200: { description: "Joined", content: { "application/json": { schema: OrganizationSchema } } },
  },
});
