import { z } from "@hono/zod-openapi";
import { RoleSchema } from "../../lib/account-schemas.ts";
import { defineRoute, Timestamp } from "../../lib/openapi.ts";

const tags = ["Members"];

export const MemberSchema = z
  .object({ userId: z.uuid(), email: z.string(), name: z.string(), role: RoleSchema, joinedAt: Timestamp })
  .openapi("Member");

const UserIdParam = z.object({
  userId: z
    .uuid()
    .openapi({ param: { name: "userId", in: "path" }, example: "3f0c5a9e-1b2d-4c3e-8f4a-5b6c7d8e9f01" }),
});

export const listMembers = defineRoute(
  { role: "viewer", scope: "organization:read" },
  {
    method: "get",
    path: "/members",
    tags,
    summary: "Members of the current organization",
    responses: {
      200: {
        description: "Members",
        content: { "application/json": { schema: z.object({ data: z.array(MemberSchema) }) } },
      },
    },
  },
);

export const updateMember = defineRoute(
  { role: "admin", scope: null },
  {
    method: "patch",
    path: "/members/{userId}",
    tags,
    summary: "Change a member's role (only owners grant or take away ownership)",
    request: {
      params: UserIdParam,
      body: {
        content: {
          "application/json": { schema: z.strictObject({ role: RoleSchema }).openapi("UpdateMemberRequest") },
        },
      },
    },
    responses: { 200: { description: "Updated", content: { "application/json": { schema: MemberSchema } } } },
  },
);

export const removeMember = defineRoute(
  { role: "viewer", scope: null },
  {
    method: "delete",
    path: "/members/{userId}",
    tags,
    summary: "Remove a member (admins), or leave the organization (yourself)",
    request: { params: UserIdParam },
    responses: { 204: { description: "Removed" } },
  },
);
