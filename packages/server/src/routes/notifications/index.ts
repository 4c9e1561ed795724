import { NotFoundError } from "@oratio/core";
import { notifications } from "@oratio/db";
import { count, desc, eq, isNull } from "drizzle-orm";
import { createRouter } from "../../lib/openapi.ts";
import { orgOf } from "../../middleware/authorize.ts";
import { listNotifications, markRead } from "./notifications.routes.ts";

function dto(n: typeof notifications.$inferSelect) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    sessionId: n.sessionId,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}

export const notificationsRouter = createRouter()
  .openapi(listNotifications, async (c) => {
    const { scope } = orgOf(c);
    const { unread, limit } = c.req.valid("query");
    const [rows, [unreadCount]] = await Promise.all([
      scope.db
        .select()
        .from(notifications)
        .where(scope.where(notifications, unread === "true" ? isNull(notifications.readAt) : undefined))
        .orderBy(desc(notifications.createdAt))
        .limit(limit),
      scope.db
        .select({ n: count() })
        .from(notifications)
        .where(scope.where(notifications, isNull(notifications.readAt))),
    ]);
    return c.json({ data: rows.map(dto), unreadCount: unreadCount?.n ?? 0 }, 200);
  })
  .openapi(markRead, async (c) => {
    const { scope, orgId } = orgOf(c);
    const [row] = await scope.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(scope.where(notifications, eq(notifications.id, c.req.valid("param").id)))
      .returning();
    if (!row) throw new NotFoundError("Notification");
    c.get("deps").bus.publish(orgId, "notification.read", { id: row.id });
    return c.json(dto(row), 200);
  });
