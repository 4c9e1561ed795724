import type { OrgEvent } from "@oratio/sdk";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { useApi } from "./api.tsx";
import { useOrganization } from "./session.tsx";

type Listener = (event: OrgEvent) => void;

interface LiveEvents {
  subscribe(listener: Listener): () => void;
  /** True while the event stream is open (the server has accepted it). */
  connected: boolean;
}

const LiveEventsContext = createContext<LiveEvents | null>(null);
const RETRY_MS = [1000, 2000, 5000, 10_000];

/** Which cached query areas each kind of organization event makes stale. */
const STALE_AREAS: { matches: (type: string) => boolean; areas: string[] }[] = [
  {
    matches: (type) => type.startsWith("session.") || type === "turn.completed",
    areas: ["sessions", "analytics"],
  },
  { matches: (type) => type.startsWith("notification."), areas: ["notifications"] },
  { matches: (type) => type === "job.updated", areas: ["knowledge"] },
];

/** Every area an event can make stale: refetched whenever the stream (re)opens. */
const LIVE_AREAS = [...new Set(STALE_AREAS.flatMap((rule) => rule.areas))];

function staleQueries(event: OrgEvent): string[] {
  return STALE_AREAS.find((rule) => rule.matches(event.type))?.areas ?? [];
}

/**
 * One stream of the organization's events (`GET /events`) for the whole dashboard: it keeps
 * cached lists fresh and lets pages react to events; it reconnects after a dropped connection.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const queryClient = useQueryClient();
  const orgId = useOrganization().organization.id;
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    let attempt = 0;
    (async () => {
      while (!abort.signal.aborted) {
        try {
          const stream = client.events.stream({
            signal: abort.signal,
            // Only once the server has accepted the stream is nothing missed from then on;
            // what changed before it (or while it was down) is fetched again.
            onOpen: () => {
              setConnected(true);
              for (const area of LIVE_AREAS)
                queryClient.invalidateQueries({ queryKey: ["org", orgId, area] });
            },
          });
          for await (const event of stream) {
            attempt = 0;
            for (const area of staleQueries(event))
              queryClient.invalidateQueries({ queryKey: ["org", orgId, area] });
            for (const listener of listeners.current) listener(event);
          }
        } catch {
          // Dropped or refused: try again below, a little later each time.
        }
        setConnected(false);
        if (abort.signal.aborted) return;
        const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
        attempt += 1;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    })();
    return () => abort.abort();
  }, [client, queryClient, orgId]);

  const [value] = useState<Omit<LiveEvents, "connected">>(() => ({
    subscribe(listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));
  return <LiveEventsContext.Provider value={{ ...value, connected }}>{children}</LiveEventsContext.Provider>;
}

/** Calls `onEvent` for every organization event while the component is mounted. */
export function useLiveEvent(onEvent: Listener): void {
  const live = useContext(LiveEventsContext);
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => live?.subscribe((event) => latest.current(event)), [live]);
}

export function useLiveConnected(): boolean {
  return useContext(LiveEventsContext)?.connected ?? false;
}
