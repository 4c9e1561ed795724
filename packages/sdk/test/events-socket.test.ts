import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { injectWebSockets } from "../../server/src/voice/websockets.ts";
import {
  createClient,
  EventSocketClosedError,
  type OratioClient,
  type OrgEvent,
  type WebSocketConstructor,
} from "../src/index.ts";
import { createTestApp, type TestApp, uniqueEmail } from "./helpers.ts";

// Node 20 has no global WebSocket; `ws` speaks the same protocol with the same event handlers.
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;
let testApp: TestApp;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  testApp = await createTestApp({ ORATIO_EVENTS_HEARTBEAT_MS: "100" });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(testApp.app, server);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await testApp?.close();
});

async function signedUp(label: string) {
  const client = createClient({ baseUrl });
  const result = await client.auth.signup({
    email: uniqueEmail(label),
    password: "correct horse battery staple",
    name: label,
    organizationName: `${label} Dental`,
  });
  return { client, result };
}

/**
 * Collects events from the socket until `until` matches one, then stops listening. `act`
 * runs every 250 ms until then: the socket subscribes some time after the stream starts,
 * and an event published before that is (rightly) never delivered.
 */
async function collect(client: OratioClient, until: (e: OrgEvent) => boolean, act: () => Promise<void>) {
  const abort = new AbortController();
  const events: OrgEvent[] = [];
  const reading = (async () => {
    for await (const event of client.events.stream({
      transport: "websocket",
      WebSocket: NodeWebSocket,
      signal: abort.signal,
    })) {
      events.push(event);
      if (until(event)) abort.abort();
    }
  })();
  let done = false;
  const finished = reading.finally(() => {
    done = true;
  });
  while (!done) {
    await act();
    await Promise.race([finished, new Promise((r) => setTimeout(r, 250))]);
  }
  await finished; // ends cleanly once aborted
  return events;
}

describe("organization events over a WebSocket (SDK)", () => {
  it("yields the organization's events, skipping heartbeats, and ends cleanly on abort", async () => {
    const { client } = await signedUp("socket-owner");
    const agentIds: string[] = [];
    const events = await collect(
      client,
      (e) => e.type === "session.started",
      async () => {
        const agent = await client.agents.create({
          name: "Front desk",
          instructions: "Greet.",
          model: { providerId: "local", model: "any" },
        });
        agentIds.push(agent.id);
        await client.sessions.create({ agentId: agent.id });
      },
    );
    expect(events.at(-1)?.type).toBe("session.started");
    expect(agentIds).toContain(events.at(-1)?.data.agentId);
    expect(events.some((e) => e.type === "heartbeat")).toBe(false);
  });

  it("follows the organization the client selected, and works with an API key", async () => {
    const owner = await signedUp("socket-multi");
    const guest = await signedUp("socket-guest");
    const invitation = await owner.client.invitations.create({
      email: guest.result.user.email,
      role: "viewer",
    });
    await guest.client.invitations.accept(invitation.token);
    guest.client.setOrganization(owner.result.organization.id);
    const seen = await collect(
      guest.client,
      (e) => e.data.id === "marker",
      async () => {
        testApp.deps.bus.publish(guest.result.organization.id, "session.updated", { id: "elsewhere" });
        testApp.deps.bus.publish(owner.result.organization.id, "session.updated", { id: "marker" });
      },
    );
    expect(new Set(seen.map((e) => e.orgId))).toEqual(new Set([owner.result.organization.id]));

    const key = await owner.client.apiKeys.create({ name: "events", scopes: ["sessions:read"] });
    const keyClient = createClient({ baseUrl, apiKey: key.key });
    const viaKey = await collect(
      keyClient,
      (e) => e.data.id === "key-marker",
      async () =>
        testApp.deps.bus.publish(owner.result.organization.id, "session.updated", { id: "key-marker" }),
    );
    expect(viaKey.at(-1)?.orgId).toBe(owner.result.organization.id);
  });

  it("reports a refused connection as EventSocketClosedError", async () => {
    const keyClient = createClient({ baseUrl, apiKey: "ora_not-a-real-key" });
    const reading = (async () => {
      for await (const _ of keyClient.events.stream({ transport: "websocket", WebSocket: NodeWebSocket })) {
        // never reached
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(EventSocketClosedError);
    await expect(reading).rejects.toMatchObject({ code: 1006 });
  });

  it.each(["sse", "websocket"] as const)(
    "says when the %s stream is open: an event published right after is never missed",
    async (transport) => {
      const { client } = await signedUp(`socket-open-${transport}`);
      const agent = await client.agents.create({
        name: "Front desk",
        instructions: "Greet.",
        model: { providerId: "local", model: "any" },
      });
      const abort = new AbortController();
      let opened = 0;
      let started: Promise<{ id: string }> | undefined;
      const events: OrgEvent[] = [];
      for await (const event of client.events.stream({
        transport,
        WebSocket: NodeWebSocket,
        signal: abort.signal,
        // Once, with no retry: the contract is that the stream already listens here.
        onOpen: () => {
          opened++;
          started = client.sessions.create({ agentId: agent.id });
        },
      })) {
        events.push(event);
        if (event.type === "session.started") abort.abort();
      }
      expect(opened).toBe(1);
      const session = await started!;
      expect(events.find((e) => e.type === "session.started")?.data.id).toBe(session.id);
    },
  );
});
