import type { ModelRequest, SessionState } from "@oratio/core";
import { isEmbeddedDatabase, quoteLiteral, runPrepared, sessions } from "@oratio/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SessionCache,
  type SessionRowWithoutState,
  sessionCacheFor,
} from "../src/conversation/session-cache.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

let t: TestApp;
let a: SignedUp;
let b: SignedUp;
const models = new ScriptedModels();

beforeAll(async () => {
  t = await createTestApp({}, { models });
  a = await signUp(t);
  b = await signUp(t);
});
afterAll(() => t.close());

async function json(method: string, path: string, body?: unknown, token = a.accessToken) {
  const res = await t.request(method, path, { token, json: body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

async function openSession(model: string): Promise<string> {
  const agent = await json("POST", "/api/v1/agents", {
    name: `Cache ${crypto.randomUUID().slice(0, 8)}`,
    instructions: "Be brief.",
    model: { providerId: "local", model },
  });
  return (await json("POST", "/api/v1/sessions", { agentId: agent.id })).id;
}

/** The conversation the model was given, as role: text lines. */
function context(request: ModelRequest): string[] {
  return request.messages.map((m) => `${m.role}: ${typeof m.content === "string" ? m.content : ""}`);
}

describe("the session cache", () => {
  it("is authoritative only on an embedded database", () => {
    expect(isEmbeddedDatabase(t.deps.db)).toBe(t.database.driver === "pglite");
    expect(sessionCacheFor(t.deps.db).authoritative).toBe(t.database.driver === "pglite");
  });

  it("keeps text exactly as sent, quotes and backslashes included", async () => {
    const id = await openSession("verbatim-model");
    const tricky = `It's a "test" \\ with 'quotes', \\' and $1 and 💬 and E'\\x41'`;
    models.model("verbatim-model").push({ text: tricky }, { text: "second" });
    expect((await json("POST", `/api/v1/sessions/${id}/messages`, { text: tricky })).text).toBe(tricky);
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "again" });
    const detail = await json("GET", `/api/v1/sessions/${id}`);
    expect(detail.transcript.map((e: { text: string | null }) => e.text)).toContain(tricky);
    expect(models.model("verbatim-model").requests[1]!.messages.map((m) => m.content)).toContain(tricky);
  });

  it("quotes SQL literals the way PostgreSQL reads them", async () => {
    expect(quoteLiteral("plain")).toBe("'plain'");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("a\\b'c")).toBe("E'a\\\\b''c'");
    expect(quoteLiteral(null)).toBe("null");
    expect(() => quoteLiteral("nul\0")).toThrow();
  });

  it("runs prepared statements with text and array values on either driver", async () => {
    const tricky = `it's "quoted" \\ back\\slashed, {braced}, NULL and 💬`;
    const echo = {
      name: "oratio_test_echo",
      text: "select $1::text as t, array_to_json($2::text[]) as a",
      types: ["text", "text[]"],
    };
    for (let i = 0; i < 2; i++) {
      const [row] = await runPrepared(t.deps.db, echo, [tricky, [tricky, null, "NULL", ""]]);
      expect(row).toEqual({ t: tricky, a: [tricky, null, "NULL", ""] });
    }
  });

  it("gives the next turn what a takeover, an operator and a release wrote", async () => {
    const id = await openSession("handback-model");
    const model = models.model("handback-model");
    model.push({ text: "First answer." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Hello" });
    await json("POST", `/api/v1/sessions/${id}/takeover`);
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Is anyone there?" });
    await json("POST", `/api/v1/sessions/${id}/operator-messages`, { text: "A person here." });
    await json("POST", `/api/v1/sessions/${id}/release`);
    model.push({ text: "Back to me." });
    const turn = await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Thanks" });
    expect(turn).toMatchObject({ text: "Back to me.", sessionStatus: "active" });
    expect(context(model.requests.at(-1)!)).toEqual([
      "user: Hello",
      "assistant: First answer.",
      "user: Is anyone there?",
      "assistant: A person here.",
      "user: Thanks",
    ]);
    const detail = await json("GET", `/api/v1/sessions/${id}`);
    expect(detail).toMatchObject({ turnCount: 2, status: "active" });
  });

  it("refuses a turn on an ended session and another organization's session", async () => {
    const id = await openSession("ended-model");
    models.model("ended-model").push({ text: "Hi." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Hello" });
    const foreign = await t.request("POST", `/api/v1/sessions/${id}/messages`, {
      token: b.accessToken,
      json: { text: "Let me in" },
    });
    expect(foreign.status).toBe(404);
    await json("POST", `/api/v1/sessions/${id}/end`);
    const ended = await t.request("POST", `/api/v1/sessions/${id}/messages`, {
      token: a.accessToken,
      json: { text: "Still there?" },
    });
    expect(ended.status).toBe(409);
  });

  it("reads the session again when another server instance changed it (PostgreSQL)", async (ctx) => {
    if (t.database.driver !== "postgres") {
      // Only PostgreSQL can be shared by several server instances; PGlite belongs to one process.
      const reason = "needs PostgreSQL (several server instances); runs in the PostgreSQL pass";
      console.warn(`Skipping: ${reason}`);
      ctx.skip(reason);
    }
    const id = await openSession("shared-model");
    const model = models.model("shared-model");
    model.push({ text: "Noted." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "My name is Ada" });
    // Another instance answers a turn: the row (and its version) changes behind this process.
    const [row] = await t.deps.db.select().from(sessions).where(eq(sessions.id, id));
    const state = row!.state as SessionState;
    state.messages.push(
      { id: "m-other-1", role: "user", content: "I moved to Leeds", at: Date.now() },
      {
        id: "m-other-2",
        role: "assistant",
        content: "Leeds it is.",
        agent: state.activeAgent,
        at: Date.now(),
      },
    );
    await t.deps.db
      .update(sessions)
      .set({ state, turnCount: row!.turnCount + 1 })
      .where(eq(sessions.id, id));
    model.push({ text: "You live in Leeds." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Where do I live?" });
    expect(context(model.requests.at(-1)!)).toEqual([
      "user: My name is Ada",
      "assistant: Noted.",
      "user: I moved to Leeds",
      "assistant: Leeds it is.",
      "user: Where do I live?",
    ]);
    expect((await json("GET", `/api/v1/sessions/${id}`)).turnCount).toBe(3);
    // Another instance ends it: this process refuses the next turn.
    await t.deps.db.update(sessions).set({ status: "ended" }).where(eq(sessions.id, id));
    const res = await t.request("POST", `/api/v1/sessions/${id}/messages`, {
      token: a.accessToken,
      json: { text: "Hello?" },
    });
    expect(res.status).toBe(409);
  });
});

describe("SessionCache", () => {
  const row = (id: string) => ({ id, orgId: "org" }) as SessionRowWithoutState;

  it("forgets the least recently written sessions beyond its entry and size bounds", () => {
    const cache = new SessionCache(true, 2, 10);
    cache.set(row("a"), '"aaa"', "1");
    cache.set(row("b"), '"bbb"', "1");
    cache.set(row("a"), '"aa"', "2");
    cache.set(row("c"), '"c"', "1");
    expect([cache.get("org", "a")?.version, cache.get("org", "b"), cache.get("org", "c")?.version]).toEqual([
      "2",
      undefined,
      "1",
    ]);
    cache.set(row("d"), '"ddd"', "1");
    expect([
      cache.get("org", "a"),
      cache.get("org", "c")?.stateJson,
      cache.get("org", "d")?.stateJson,
    ]).toEqual([undefined, '"c"', '"ddd"']);
    cache.set(row("e"), '"far too long"', "1");
    expect(cache.get("org", "e")).toBeUndefined();
    expect(cache.get("another-org", "d")).toBeUndefined();
  });
});

describe("session ids", () => {
  it("answers a turn on a session named in upper case", async () => {
    const id = await openSession("upper-model");
    models.model("upper-model").push({ text: "Hi." }, { text: "Again." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Hello" });
    const turn = await json("POST", `/api/v1/sessions/${id.toUpperCase()}/messages`, { text: "Hello?" });
    expect(turn.text).toBe("Again.");
  });

  it("a takeover named in upper case is seen by the next turn named in lower case", async () => {
    const id = await openSession("takeover-case-model");
    models.model("takeover-case-model").push({ text: "Hi." });
    await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Hello" });
    await json("POST", `/api/v1/sessions/${id.toUpperCase()}/takeover`);
    // An operator holds the session: the caller's words wait for a person, no model turn runs.
    const turn = await json("POST", `/api/v1/sessions/${id}/messages`, { text: "Anyone there?" });
    expect(turn).toMatchObject({ reason: "human", text: "" });
    models.assertDone();
  });
});
