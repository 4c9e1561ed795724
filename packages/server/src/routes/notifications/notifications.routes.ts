import { z } from "@hono/zod-openapi";
import { defineRoute, IdParam, Timestamp } from "../../lib/openapi.ts";

const tags = ["Notifications"];

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    sessionId: z.uuid().nullable(),
    read: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi("Notification");

export const listNotifications = defineRoute(
  { role: "viewer", scope: "notifications:read" },
  {
    method: "get",
    path: "/notifications",
    tags,
    summary: "Notifications (human-handoff requests…), newest first, with the unread count",
    request: {
      query: z.object({
        unread: z.enum(["true", "false"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: {
      200: {
        description: "Notifications",
        content: {
          "application/json": {
            schema: z.object({ data: z.array(NotificationSchema), unreadCount: z.number().int() }),
          },
        },
      },
    },
  },
);

export const markRead = defineRoute(
  { role: "viewer", scope: "notifications:write" },
  {
    method: "post",
    path: "/notifications/{id}/read",
    tags,
    summary: "Mark a notification read",
    request: { params: IdParam },
    responses: {
      200: { description: "Updated", content: { "application/json": { schema: NotificationSchema } } },
    },
  },
);
