/**
 * A single-consumer async queue: the run loop pushes events without waiting, the consumer
 * pulls them with for-await. Unbounded on purpose: a turn emits a bounded number of events.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  #buffer: T[] = [];
  #head = 0;
  #closed = false;
  #waiter: ((result: IteratorResult<T>) => void) | undefined;
  #onReturn: (() => void) | undefined;

  constructor(onConsumerLeft?: () => void) {
    this.#onReturn = onConsumerLeft;
  }

  push(value: T): void {
    if (this.#closed) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value, done: false });
    } else this.#buffer.push(value);
  }

  close(): void {
    this.#closed = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#head < this.#buffer.length) {
          const value = this.#buffer[this.#head++]!;
          if (this.#head === this.#buffer.length) {
            this.#buffer = [];
            this.#head = 0;
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.#waiter = resolve;
        });
      },
      return: () => {
        // The consumer stopped listening (client gone): let the producer cancel its work.
        if (!this.#closed) this.#onReturn?.();
        this.#closed = true;
        this.#buffer = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
