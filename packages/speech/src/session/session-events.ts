import { AsyncQueue } from "@oratio/core/speech";

/**
 * Fan-out of session events to callbacks and async iterators. A listener that throws must
 * not take the call down, so its error is handed to `onListenerError` instead.
 */
export class SessionEvents<E> {
  private readonly listeners = new Set<(event: E) => void>();
  private readonly queues = new Set<AsyncQueue<E>>();
  private ended = false;
  private reporting = false;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  on(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events from now until the session ends. */
  iterate(): AsyncIterable<E> {
    const queue = new AsyncQueue<E>();
    if (this.ended) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // Reported once: a listener that also throws on the error event is not re-reported.
        if (this.reporting) continue;
        this.reporting = true;
        try {
          this.onListenerError(error);
        } finally {
          this.reporting = false;
        }
      }
    }
    for (const queue of this.queues) queue.push(event);
  }

  end(): void {
    this.ended = true;
    for (const queue of this.queues) queue.end();
    this.queues.clear();
  }
}
