import { describe, expect, it } from "vitest";
import { type EndpointEvent, Endpointer } from "../src/index.ts";

function run(endpointer: Endpointer, pattern: string, frameMs = 20): EndpointEvent[] {
  const events: EndpointEvent[] = [];
  for (const char of pattern) {
    const event = endpointer.update(char === "#" ? 0.9 : 0.05, frameMs);
    if (event) events.push(event);
  }
  return events;
}

describe("Endpointer", () => {
  it("starts a turn after the minimum speech and ends it after the silence window", () => {
    const endpointer = new Endpointer({ minSpeechMs: 100, endSilenceMs: 300 });
    // 10 frames silence, 30 speech, 20 silence (20 ms each).
    const events = run(endpointer, `${".".repeat(10)}${"#".repeat(30)}${".".repeat(20)}`);
    expect(events).toEqual([
      { type: "speech-start", atMs: 200 },
      { type: "speech-end", atMs: 800, speechMs: 600 },
    ]);
    expect(endpointer.state).toBe("silence");
  });

  it("ignores clicks shorter than the minimum speech", () => {
    const endpointer = new Endpointer({ minSpeechMs: 100, endSilenceMs: 300 });
    expect(run(endpointer, "..##...#.###....")).toEqual([]);
  });

  it("keeps the turn open across pauses shorter than the silence window", () => {
    const endpointer = new Endpointer({ minSpeechMs: 60, endSilenceMs: 300 });
    const events = run(endpointer, `${"#".repeat(10)}${".".repeat(10)}${"#".repeat(10)}${".".repeat(15)}`);
    expect(events.map((e) => e.type)).toEqual(["speech-start", "speech-end"]);
    expect(events[1]).toEqual({ type: "speech-end", atMs: 600, speechMs: 600 });
  });

  it("applies hysteresis: a probability just under the threshold does not end speech", () => {
    const endpointer = new Endpointer({ threshold: 0.5, minSpeechMs: 20, endSilenceMs: 40 });
    expect(endpointer.update(0.6, 20)?.type).toBe("speech-start");
    expect(endpointer.update(0.4, 20)).toBeUndefined();
    expect(endpointer.update(0.4, 20)).toBeUndefined();
    expect(endpointer.update(0.4, 20)).toBeUndefined();
    expect(endpointer.state).toBe("speech");
    endpointer.update(0.2, 20);
    expect(endpointer.update(0.2, 20)?.type).toBe("speech-end");
  });
});
