import { describe, expect, it } from "vitest";
import { InterruptionArbiter, PlayoutTracker } from "../src/index.ts";

describe("PlayoutTracker", () => {
  it("reports whole played sentences plus the words reached in the current one", () => {
    const tracker = new PlayoutTracker();
    tracker.beginSegment("Your appointment is confirmed.");
    tracker.addAudio(16000);
    tracker.beginSegment("We open at nine and close at five.");
    tracker.addAudio(8000);
    tracker.addAudio(8000);
    expect(tracker.heardText()).toBe("");
    tracker.markPlayed(16000 + 8000);
    // Half of the second sentence's audio covers half of its eight words.
    expect(tracker.heardText()).toBe("Your appointment is confirmed. We open at nine");
    expect(tracker.finished).toBe(false);
    tracker.markPlayed(8000);
    expect(tracker.heardText()).toBe("Your appointment is confirmed. We open at nine and close at five.");
    expect(tracker.finished).toBe(true);
    tracker.reset();
    expect(tracker.heardText()).toBe("");
  });
});

describe("InterruptionArbiter", () => {
  it("pauses on speech onset and interrupts once real words arrive", () => {
    const arbiter = new InterruptionArbiter();
    expect(arbiter.userStartedSpeaking(0)).toBeUndefined();
    arbiter.agentStartedSpeaking();
    expect(arbiter.userStartedSpeaking(1000)).toBe("pause");
    expect(arbiter.transcript("mm-hmm")).toBeUndefined();
    expect(arbiter.transcript("wait, what time")).toBe("interrupt");
    expect(arbiter.agentSpeaking).toBe(false);
  });

  it("resumes the agent after a noise or backchannel yields no words within the window", () => {
    const arbiter = new InterruptionArbiter({ confirmWindowMs: 1000 });
    arbiter.agentStartedSpeaking();
    expect(arbiter.userStartedSpeaking(2000)).toBe("pause");
    expect(arbiter.transcript("yeah okay")).toBeUndefined();
    expect(arbiter.tick(2900)).toBeUndefined();
    expect(arbiter.tick(3000)).toBe("resume");
    expect(arbiter.paused).toBe(false);
    expect(arbiter.agentSpeaking).toBe(true);
    // A later onset pauses again.
    expect(arbiter.userStartedSpeaking(4000)).toBe("pause");
  });
});
