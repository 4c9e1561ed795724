import type { TurnEvent, TurnResult } from "../agent/events.ts";
import type { TurnStream } from "../agent/run-turn.ts";

/** Drains a turn: every event in order plus the result. */
export async function collectTurn(turn: TurnStream): Promise<{ events: TurnEvent[]; result: TurnResult }> {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  return { events, result: await turn.result };
}

export function eventsOfType<T extends TurnEvent["type"]>(
  events: readonly TurnEvent[],
  type: T,
): Extract<TurnEvent, { type: T }>[] {
  return events.filter((e): e is Extract<TurnEvent, { type: T }> => e.type === type);
}

/** A controllable clock for tests of windows and rate limits (no real waiting). */
export function manualClock(start = Date.UTC(2026, 0, 1)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}
