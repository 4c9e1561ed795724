import v8 from "node:v8";

/**
 * V8 flags the server must be started with (`npm start` passes them; they cannot be set once
 * the heap exists). `--no-memory-reducer`: V8's memory reducer, meant to shrink the heap of
 * an idle program, runs a full collection 100 s after the last one whenever the program is
 * *not* idle (its "watchdog"), so a server holding calls collected twice as often: in
 * `bench/voice-concurrency.ts` it was the only full collection left at 50 calls on one core
 * (one 10–21 ms pause, marking in 16 ms steps). Without it the heap is not shrunk when the
 * server goes quiet; it stays within the growth factor below.
 */
export const SERVER_STARTUP_V8_FLAGS = ["--no-memory-reducer"] as const;

/**
 * Voice calls need the event loop every 20 ms; a full mark-compact of the server's heap
 * blocks it for 10–25 ms (more on a busy core) and so costs every call on the process a
 * late frame. V8 sizes the old generation from how fast the program allocates compared with
 * how fast it collects: a server that allocates little between requests gets a limit close to
 * its live heap — about 1.1× — and, with a young generation of up to 16 MB, starts a full
 * collection after almost every young one. Measured with 50 voice calls in the server process
 * on one core (`bench/voice-concurrency.ts`): 16 full collections in 40 s with V8's
 * heuristic, 2 with a fixed factor of 2.
 *
 * A fixed growth factor of (1 + percent/100) trades memory for fewer full collections: at
 * 100 the heap may grow to twice its live size (V8's own heuristic ranges from 1.1× to 4×)
 * before it is collected. 0 leaves V8's heuristic in place. The flag is read by V8 each time
 * it sets a new limit, so setting it after start-up takes effect from the next collection on.
 */
export function tuneHeapForRealtimeAudio(growthPercent: number): void {
  if (growthPercent <= 0) return;
  v8.setFlagsFromString(`--heap-growing-percent=${Math.round(growthPercent)}`);
}
