import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { OrgScope } from "@oratio/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { EVENT_SOCKET_CLOSE } from "../src/routes/events/event-socket.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { injectWebSockets } from "../src/voice/websockets.ts";
import { createApiKey, joinAs, type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

interface Received {
  type: string;
  orgId?: string;
  at: string;
  data?: Record<string, unknown> & { status?: string; progress?: Record<string, unknown> };
}

const HEARTBEAT_MS = 200;
const MAX_BUFFERED = 256 * 1024;
let t: TestApp;
let server: Server;
let base: string;
let a: SignedUp;
let b: SignedUp;
const models = new ScriptedModels();
const sockets: WebSocket[] = [];

beforeAll(async () => {
  t = await createTestApp(
    {
      ORATIO_EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      ORATIO_EVENTS_MAX_BUFFERED_BYTES: String(MAX_BUFFERED),
    },
    { models },
  );
  t.deps.jobs.register<{ steps: number }>("events.demo", async (ctx) => {
    for (let step = 1; step <= ctx.payload.steps; step++) {
      ctx.progress({ step });
      // Longer than the queue's progress throttle (250 ms), so each step is written and published.
      await new Promise((r) => setTimeout(r, 300));
    }
    return { done: true };
  });
  a = await signUp(t);
  b = await signUp(t);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(t.app, server);
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate(); // those a failed test left open
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

function open(query: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(`${base}/api/v1/events?${query}`, options);
  sockets.push(socket);
  const events: Received[] = [];
  socket.on("message", (data) => events.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const waitFor = async (match: (e: Received) => boolean, what: string) => {
    for (let i = 0; i < 400; i++) {
      const found = events.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 25));
    }
    const state = socket.readyState === WebSocket.OPEN ? "open" : "closed";
    throw new Error(`no ${what} among ${events.map((e) => e.type).join(", ")} (socket ${state})`);
  };
  return { socket, events, opened, closed, waitFor };
}

async function api(user: SignedUp, method: string, url: string, json?: unknown) {
  const res = await t.request(method, url, { token: user.accessToken, json });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

async function startSession(user: SignedUp, model: string) {
  const agent = await api(user, "POST", "/api/v1/agents", {
    name: `Desk ${Math.random()}`,
    instructions: "Help callers.",
    model: { providerId: "local", model },
  });
  return api(user, "POST", "/api/v1/sessions", { agentId: agent.id });
}

describe("organization events over a WebSocket", () => {
  it("delivers session, turn, needs-human and job events of the caller's organization only", async () => {
    const socketA = open(`access_token=${a.accessToken}`);
    const socketB = open(`access_token=${b.accessToken}`);
    await Promise.all([socketA.opened, socketB.opened]);

    const session = await startSession(a, "events-a");
    models
      .model("events-a")
      .push(
        { toolCalls: [{ name: "request_human", args: { reason: "Wants a person" } }] },
        { text: "Someone from our team will join you." },
      );
    const turn = await api(a, "POST", `/api/v1/sessions/${session.id}/messages`, { text: "A human, please" });
    expect(turn.sessionStatus).toBe("needs_human");
    const job = await t.deps.jobs.enqueue(new OrgScope(t.database.db, a.orgId), "events.demo", { steps: 2 });
    const otherSession = await startSession(b, "events-b");

    const started = await socketA.waitFor(
      (e) => e.type === "session.started" && e.data?.id === session.id,
      "session.started",
    );
    expect(started).toMatchObject({ orgId: a.orgId, data: { agentId: session.agentId, status: "active" } });
    await socketA.waitFor(
      (e) => e.type === "turn.completed" && e.data?.sessionId === session.id,
      "turn.completed",
    );
    await socketA.waitFor(
      (e) => e.type === "session.updated" && e.data?.id === session.id && e.data?.status === "needs_human",
      "needs_human status",
    );
    await socketA.waitFor(
      (e) => e.type === "notification.created" && e.data?.kind === "needs_human",
      "needs_human notification",
    );
    await socketA.waitFor(
      (e) =>
        e.type === "session.stream" &&
        (e.data?.event as { type?: string } | undefined)?.type === "needs-human",
      "needs-human stream event",
    );
    await socketA.waitFor(
      (e) => e.type === "job.updated" && e.data?.id === job.id && e.data?.status === "succeeded",
      "finished job",
    );
    const progress = socketA.events
      .filter((e) => e.type === "job.updated" && e.data?.id === job.id && e.data?.status === "running")
      .map((e) => e.data?.progress?.step)
      .filter((s) => s !== undefined);
    expect(progress).toContain(1);

    await socketB.waitFor(
      (e) => e.type === "session.started" && e.data?.id === otherSession.id,
      "b's session",
    );
    expect(socketA.events.filter((e) => e.type !== "heartbeat").every((e) => e.orgId === a.orgId)).toBe(true);
    expect(JSON.stringify(socketA.events)).not.toContain(otherSession.id);
    expect(socketB.events.filter((e) => e.type !== "heartbeat").every((e) => e.orgId === b.orgId)).toBe(true);
    expect(JSON.stringify(socketB.events)).not.toContain(session.id);
    socketA.socket.close();
    socketB.socket.close();
    models.assertDone();
  });

  it("carries the same event JSON as the SSE stream", async () => {
    const socket = open(`access_token=${a.accessToken}`);
    await socket.opened;
    const sse = await t.request("GET", "/api/v1/events", {
      token: a.accessToken,
      headers: { accept: "text/event-stream" },
    });
    setTimeout(() => t.deps.bus.publish(a.orgId, "session.updated", { id: "same-shape", n: 1 }), 50);
    const reader = sse.body!.getReader();
    let text = "";
    while (!text.includes("same-shape")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const viaSse = JSON.parse(/data: (.*same-shape.*)/.exec(text)![1]!);
    const viaSocket = await socket.waitFor((e) => e.data?.id === "same-shape", "the published event");
    expect(viaSocket).toEqual(viaSse);
    expect(Object.keys(viaSocket).sort()).toEqual(["at", "data", "orgId", "type"]);
    socket.socket.close();
  });

  it("pings and sends heartbeats, and drops a peer that stops answering pings", async () => {
    const live = open(`access_token=${a.accessToken}`);
    let pings = 0;
    live.socket.on("ping", () => {
      pings += 1;
    });
    await live.opened;
    await live.waitFor((e) => e.type === "heartbeat", "heartbeat");
    expect(pings).toBeGreaterThan(0);

    // A peer that never answers a ping (its side of the connection hung) is cut off.
    const silent = open(`access_token=${a.accessToken}`, { autoPong: false });
    await silent.opened;
    const { code } = await silent.closed;
    expect(code).toBe(1006); // terminated without a closing handshake
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    live.socket.close();
  });

  it("closes a reader that falls behind with 4008, while one that keeps up gets every event", async () => {
    const fast = open(`access_token=${a.accessToken}`);
    const slow = open(`access_token=${a.accessToken}`);
    await Promise.all([fast.opened, slow.opened]);
    // The slow client stops reading from its socket; the kernel buffers fill, then the server's.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const filler = "x".repeat(16 * 1024);
    const total = 1500; // 24 MB: more than the loopback buffers of both ends can hold
    for (let i = 0; i < total; i += 20) {
      for (let j = i; j < i + 20; j++) t.deps.bus.publish(a.orgId, "bulk", { n: j, filler });
      await new Promise((r) => setTimeout(r, 2));
    }
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(EVENT_SOCKET_CLOSE.slowConsumer);
    expect(closed.reason).toMatch(/^Too slow/);
    const slowCount = slow.events.filter((e) => e.type === "bulk").length;
    expect(slowCount).toBeLessThan(total);

    await fast.waitFor((e) => e.type === "bulk" && e.data?.n === total - 1, "the last bulk event");
    const numbers = fast.events.filter((e) => e.type === "bulk").map((e) => e.data?.n);
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(fast.socket.readyState).toBe(WebSocket.OPEN);
    fast.socket.close();
  });

  it("applies the same credentials and role rules as the SSE stream", async () => {
    await expect(open("access_token=not-a-token").opened).rejects.toThrow("HTTP 401");
    await expect(open("").opened).rejects.toThrow("HTTP 401");
    const expired = a.accessToken.replace(/\.[^.]+$/, ".tampered-signature");
    await expect(open(`access_token=${expired}`).opened).rejects.toThrow("HTTP 401");

    const noScope = await createApiKey(t, a.accessToken, ["jobs:read"]);
    await expect(open(`access_token=${noScope.key}`).opened).rejects.toThrow("HTTP 403");
    const sseNoScope = await t.request("GET", `/api/v1/events?access_token=${noScope.key}`, {
      headers: { accept: "text/event-stream" },
    });
    expect(sseNoScope.status).toBe(403);

    const withScope = await createApiKey(t, a.accessToken, ["sessions:read"]);
    const keySocket = open(`access_token=${withScope.key}`);
    await keySocket.opened;
    const viewer = await joinAs(t, a, "viewer");
    const viewerSocket = open(`access_token=${viewer.accessToken}&orgId=${a.orgId}`);
    await viewerSocket.opened;
    t.deps.bus.publish(a.orgId, "session.updated", { id: "for-readers" });
    await keySocket.waitFor((e) => e.data?.id === "for-readers", "event for the key");
    await viewerSocket.waitFor((e) => e.data?.id === "for-readers", "event for the viewer");
    keySocket.socket.close();
    viewerSocket.socket.close();
  });

  it("follows the organization chosen with orgId, for people in several", async () => {
    // b joins a's organization as a viewer with the same account: two memberships.
    const invite = await api(a, "POST", "/api/v1/invitations", { email: b.email, role: "viewer" });
    await api(b, "POST", "/api/v1/invitations/accept", { token: invite.token });

    const ownOrg = open(`access_token=${b.accessToken}`); // the oldest membership by default
    const chosen = open(`access_token=${b.accessToken}&orgId=${a.orgId}`);
    await Promise.all([ownOrg.opened, chosen.opened]);
    const sse = await t.request("GET", `/api/v1/events?access_token=${b.accessToken}&orgId=${a.orgId}`, {
      headers: { accept: "text/event-stream" },
    });
    expect(sse.status).toBe(200);
    setTimeout(() => {
      t.deps.bus.publish(b.orgId, "session.updated", { id: "in-b" });
      t.deps.bus.publish(a.orgId, "session.updated", { id: "in-a" });
    }, 50);
    await chosen.waitFor((e) => e.data?.id === "in-a", "a's event");
    await ownOrg.waitFor((e) => e.data?.id === "in-b", "b's own event");
    const reader = sse.body!.getReader();
    let text = "";
    while (!text.includes("in-a")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).not.toContain("in-b");
    expect(chosen.events.some((e) => e.data?.id === "in-b")).toBe(false);
    expect(ownOrg.events.some((e) => e.data?.id === "in-a")).toBe(false);

    const stranger = await signUp(t);
    await expect(open(`access_token=${stranger.accessToken}&orgId=${a.orgId}`).opened).rejects.toThrow(
      "HTTP 403",
    );
    const sseStranger = await t.request(
      "GET",
      `/api/v1/events?access_token=${stranger.accessToken}&orgId=${a.orgId}`,
      { headers: { accept: "text/event-stream" } },
    );
    expect(sseStranger.status).toBe(403);
    // The query only names an organization on stream requests, like the token.
    const plain = await t.request("GET", `/api/v1/organization?orgId=${a.orgId}`, { token: b.accessToken });
    expect((await plain.json()).id).toBe(b.orgId);
    ownOrg.socket.close();
    chosen.socket.close();
  });
});
