import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { injectWebSockets } from "../src/voice/websockets.ts";
import { type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

let t: TestApp;
let server: Server;
let base: string;
let a: SignedUp;
const models = new ScriptedModels();

beforeAll(async () => {
  t = await createTestApp({}, { models });
  a = await signUp(t);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(t.app, server);
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function newSession() {
  const agent = await (
    await t.request("POST", "/api/v1/agents", {
      token: a.accessToken,
      json: {
        name: `Socket ${Math.random()}`,
        instructions: "Help.",
        model: { providerId: "local", model: "socket-model" },
      },
    })
  ).json();
  return (
    await (
      await t.request("POST", "/api/v1/sessions", { token: a.accessToken, json: { agentId: agent.id } })
    ).json()
  ).id as string;
}

function open(sessionId: string, token = a.accessToken) {
  const socket = new WebSocket(`${base}/api/v1/sessions/${sessionId}/stream?access_token=${token}`);
  const events: { type: string; [key: string]: unknown }[] = [];
  socket.on("message", (data) => events.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once("error", reject);
  });
  const waitFor = async (type: string) => {
    for (let i = 0; i < 200 && !events.some((e) => e.type === type); i++)
      await new Promise((r) => setTimeout(r, 25));
    return events.find((e) => e.type === type);
  };
  return { socket, events, opened, waitFor };
}

describe("chat over a WebSocket", () => {
  it("streams the reply to a message sent on the socket, and survives a malformed frame", async () => {
    const sessionId = await newSession();
    const client = open(sessionId);
    await client.opened;
    client.socket.send("{not json");
    expect(await client.waitFor("error")).toMatchObject({ error: { code: "validation-error" } });

    models.model("socket-model").push({ text: ["Hello ", "from the socket."] });
    client.socket.send(JSON.stringify({ type: "message", text: "Hi there" }));
    const end = await client.waitFor("turn-end");
    expect(end).toMatchObject({ text: "Hello from the socket.", sessionStatus: "active" });
    const types = client.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["user-message", "text-delta", "turn-end"]));
    client.socket.close();

    const detail = await (
      await t.request("GET", `/api/v1/sessions/${sessionId}`, { token: a.accessToken })
    ).json();
    expect(detail.transcript.map((e: { text: string | null }) => e.text)).toContain("Hello from the socket.");
    models.assertDone();
  });

  it("delivers an operator's messages to the caller's socket", async () => {
    const sessionId = await newSession();
    const client = open(sessionId);
    await client.opened;
    await t.request("POST", `/api/v1/sessions/${sessionId}/takeover`, { token: a.accessToken });
    await t.request("POST", `/api/v1/sessions/${sessionId}/operator-messages`, {
      token: a.accessToken,
      json: { text: "A person is here now." },
    });
    expect(await client.waitFor("operator-message")).toMatchObject({ text: "A person is here now." });
    client.socket.close();
  });

  it("refuses another organization's session before upgrading", async () => {
    const sessionId = await newSession();
    const b = await signUp(t);
    await expect(open(sessionId, b.accessToken).opened).rejects.toThrow("HTTP 404");
  });
});
