import type { Notification } from "@oratio/sdk";
import { Link } from "@tanstack/react-router";
import { Hand } from "lucide-react";
import { Button } from "../../../components/ui/button.tsx";
import { cn, formatDateTime } from "../../../lib/utils.ts";
import { useMarkRead } from "../api/queries.ts";

export function NotificationList({ items, onNavigate }: { items: Notification[]; onNavigate?: () => void }) {
  const markRead = useMarkRead();
  return (
    <ul className="divide-y divide-border" aria-label="Notifications">
      {items.map((n) => (
        <li key={n.id} className={cn("flex gap-3 py-3", !n.read && "font-medium")}>
          <Hand
            className={cn("mt-0.5 size-4 shrink-0", n.read ? "text-subtle" : "text-brand-orange")}
            aria-hidden
          />
          <div className="min-w-0 flex-1 text-sm">
            <p>
              {!n.read && <span className="sr-only">Unread: </span>}
              {n.title}
            </p>
            {n.body && <p className="font-normal text-subtle">{n.body}</p>}
            <p className="text-xs font-normal text-subtle">{formatDateTime(n.createdAt)}</p>
          </div>
          <div className="flex shrink-0 flex-col items-end gap-1">
            {n.sessionId && (
              <Link
                to="/sessions/$sessionId"
                params={{ sessionId: n.sessionId }}
                className="text-xs text-accent hover:underline dark:text-[#b084ff]"
                onClick={() => {
                  if (!n.read) markRead.mutate(n.id);
                  onNavigate?.();
                }}
              >
                Open session
              </Link>
            )}
            {!n.read && (
              <Button variant="ghost" size="sm" className="h-6 px-2" onClick={() => markRead.mutate(n.id)}>
                Mark read
              </Button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
