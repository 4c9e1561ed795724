import { type Http, type RequestOptions, segment } from "../http.ts";

export interface Notification {
  id: string;
  /** e.g. `needs_human`: a session asks for a person. */
  kind: string;
  title: string;
  body: string;
  sessionId: string | null;
  read: boolean;
  createdAt: string;
}

export function notificationsResource(http: Http) {
  return {
    list(
      query: { unread?: boolean; limit?: number } = {},
      options?: RequestOptions,
    ): Promise<{ data: Notification[]; unreadCount: number }> {
      const params = new URLSearchParams();
      if (query.unread !== undefined) params.set("unread", String(query.unread));
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      return http.get(`/notifications${params.size ? `?${params}` : ""}`, options);
    },
    markRead(id: string, options?: RequestOptions): Promise<Notification> {
      return http.post<Notification>(`/notifications/${segment(id)}/read`, {}, options);
    },
  };
}
