import type { SessionState } from "@oratio/core";
import { OrgScope, sessions } from "@oratio/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TurnWriter } from "../src/conversation/turn-store.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

let t: TestApp;
let a: SignedUp;
let b: SignedUp;

beforeAll(async () => {
  t = await createTestApp({}, { models: new ScriptedModels() });
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(() => t.close());

async function json(method: string, path: string, token: string, body?: unknown) {
  const res = await t.request(method, path, { token, json: body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

async function sessionOf(user: SignedUp): Promise<{ id: string; state: SessionState }> {
  const agent = await json("POST", "/api/v1/agents", user.accessToken, {
    name: `Writer ${crypto.randomUUID().slice(0, 8)}`,
    instructions: "Be brief.",
    greeting: "Hello!",
    model: { providerId: "local", model: "writer-model" },
  });
  const { id } = await json("POST", "/api/v1/sessions", user.accessToken, { agentId: agent.id });
  const [row] = await t.deps.db.select({ state: sessions.state }).from(sessions).where(eq(sessions.id, id));
  return { id, state: row!.state as SessionState };
}

function turn(state: SessionState, text: string) {
  return {
    entries: [
      { kind: "message", role: "user", text },
      { kind: "message", role: "assistant", agent: state.activeAgent, text: `Re: ${text}` },
    ],
    state,
    status: "active" as const,
    usage: { inputTokens: 3, outputTokens: 2 },
    costUsd: 0.001,
  };
}

describe("TurnWriter", () => {
  it("writes turns finishing together in one batch, each in its session's order", async () => {
    const writer = new TurnWriter();
    const scope = new OrgScope(t.deps.db, a.orgId);
    const opened = await Promise.all(Array.from({ length: 12 }, () => sessionOf(a)));
    const written = await Promise.all(
      opened.map((s, i) => writer.commit(scope, s.id, turn(s.state, `question ${i}`))),
    );
    expect(written.map((w) => w.id)).toEqual(opened.map((s) => s.id));
    expect(writer.stats).toEqual({ statements: 1, turns: 12 });
    for (const [i, s] of opened.entries()) {
      const detail = await json("GET", `/api/v1/sessions/${s.id}`, a.accessToken);
      const texts = detail.transcript.map((e: { text: string | null }) => e.text);
      expect(texts).toEqual(["Hello!", `question ${i}`, `Re: question ${i}`]);
      expect(detail.transcript.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
      expect(detail).toMatchObject({ turnCount: 1 });
    }
  });

  it("fails only the turn that cannot be written, and never writes into another organization", async () => {
    const writer = new TurnWriter();
    const scopeA = new OrgScope(t.deps.db, a.orgId);
    const [good, broken] = await Promise.all([sessionOf(a), sessionOf(a)]);
    const foreign = await sessionOf(b);
    const bad = turn(broken.state, "broken");
    // A transcript entry without a kind violates the table's constraint.
    bad.entries.push({ kind: null as unknown as string, role: "assistant", text: "x" });
    const results = await Promise.allSettled([
      writer.commit(scopeA, good.id, turn(good.state, "fine")),
      writer.commit(scopeA, broken.id, bad),
      writer.commit(scopeA, foreign.id, turn(foreign.state, "intrusion")),
    ]);
    expect(results[0].status).toBe("fulfilled");
    expect(results[1].status).toBe("rejected");
    expect(results[2]).toMatchObject({ status: "rejected", reason: { status: 404 } });
    const brokenDetail = await json("GET", `/api/v1/sessions/${broken.id}`, a.accessToken);
    expect(brokenDetail.transcript).toHaveLength(1);
    const foreignDetail = await json("GET", `/api/v1/sessions/${foreign.id}`, b.accessToken);
    expect(foreignDetail.transcript.map((e: { text: string }) => e.text)).toEqual(["Hello!"]);
    expect(foreignDetail).toMatchObject({ turnCount: 0 });
  });
});
