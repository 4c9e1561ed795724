import { EventEmitter } from "node:events";

/** Something that happened in an organization, delivered to its live subscribers. */
export interface OrgEvent<T = unknown> {
  type: string;
  orgId: string;
  /** ISO timestamp of when it happened. */
  at: string;
  data: T;
}

/**
 * Publish/subscribe per organization. The in-process implementation serves one server
 * instance; a Redis pub/sub implementation of the same interface fans events out across
 * instances. Delivery is best-effort and live-only: durable state lives in the database.
 */
export interface EventBus {
  publish<T>(orgId: string, type: string, data: T): void;
  /** Returns the unsubscribe function. */
  subscribe(orgId: string, listener: (event: OrgEvent) => void): () => void;
}

export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open dashboard tab/stream; the default cap of 10 is far too low.
    this.emitter.setMaxListeners(0);
  }

  publish<T>(orgId: string, type: string, data: T): void {
    const event: OrgEvent<T> = { type, orgId, at: new Date().toISOString(), data };
    this.emitter.emit(orgId, event);
  }

  subscribe(orgId: string, listener: (event: OrgEvent) => void): () => void {
    // A throwing subscriber must not break the publisher or the other subscribers.
    const safe = (event: OrgEvent) => {
      try {
        listener(event);
      } catch {}
    };
    this.emitter.on(orgId, safe);
    return () => this.emitter.off(orgId, safe);
  }
}
