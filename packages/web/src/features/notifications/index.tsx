import { PageHeader } from "../../components/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Card } from "../../components/ui/card.tsx";
import { useNotifications } from "./api/queries.ts";
import { NotificationList } from "./components/notification-list.tsx";

export function NotificationsPage() {
  const notifications = useNotifications(100);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Conversations where a customer asked for a person, newest first."
      />
      {notifications.isPending ? (
        <LoadingState label="Loading notifications…" />
      ) : notifications.isError ? (
        <ErrorState error={notifications.error} onRetry={() => notifications.refetch()} />
      ) : notifications.data.data.length === 0 ? (
        <EmptyState title="No notifications">
          When a customer asks for a person, you will see it here.
        </EmptyState>
      ) : (
        <Card>
          <p className="text-sm text-subtle">{notifications.data.unreadCount} unread</p>
          <NotificationList items={notifications.data.data} />
        </Card>
      )}
    </>
  );
}
