import { Link } from "@tanstack/react-router";
import { Bell } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { useNotifications } from "../api/queries.ts";
import { NotificationList } from "./notification-list.tsx";

/** The unread count stays current because the live event stream refreshes it on `notification.created`. */
export function NotificationBell() {
  const notifications = useNotifications(10);
  const [open, setOpen] = useState(false);
  const unread = notifications.data?.unreadCount ?? 0;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={`Notifications, ${unread} unread`}
        >
          <Bell aria-hidden />
          {unread > 0 && (
            <span
              aria-hidden
              className="absolute top-1 right-1 grid min-w-4 place-items-center rounded-full bg-brand-orange px-1 text-[10px] font-bold text-[#101010]"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          aria-label="Recent notifications"
          className="z-50 w-[min(24rem,calc(100vw-2rem))] rounded-signature border border-border bg-surface p-4 text-foreground shadow-glow"
        >
          <div className="mb-1 flex items-center justify-between">
            <p className="font-semibold">Notifications</p>
            <Link
              to="/notifications"
              className="text-xs text-accent hover:underline dark:text-[#b084ff]"
              onClick={() => setOpen(false)}
            >
              See all
            </Link>
          </div>
          {notifications.data?.data.length ? (
            <NotificationList items={notifications.data.data} onNavigate={() => setOpen(false)} />
          ) : (
            <p className="py-4 text-sm text-subtle">Nothing needs your attention.</p>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
