import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { type AgentDefinition, createSession, runTurn } from "@oratio/core";
import { collectTurn, eventsOfType, ScriptedModel } from "@oratio/core/testing";
import { OrgScope } from "@oratio/db";
import { EMPTY_ALLOW_LIST } from "@oratio/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { buildOrgTools, toolRateLimits } from "../src/tools/index.ts";
import { type SignedUp, signUp } from "./helpers.ts";

/**
 * The executor end to end: tools built from stored definitions, run by the core run loop
 * against a local HTTP endpoint and a real MCP server (Streamable HTTP, stateless).
 */

let http: Server;
let httpBase: string;
const httpSeen: { url: string; body: string }[] = [];
/** Holds every booking until two are in flight, so it only completes if calls run concurrently. */
let waiting: (() => void)[] = [];

let mcp: Server;
let mcpUrl: string;
const mcpAuth: (string | undefined)[] = [];

let t: TestApp;
let a: SignedUp;
let scope: OrgScope;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: "crm", version: "1.0.0" });
  server.registerTool(
    "lookup_customer",
    {
      description: "Find a customer by phone number.",
      inputSchema: { phone: z.string().min(5) },
    },
    async ({ phone }) => ({ content: [{ type: "text", text: `Customer with ${phone}: Ada Lovelace, VIP` }] }),
  );
  server.registerTool(
    "delete_everything",
    { description: "Must not be offered.", inputSchema: {} },
    async () => ({ content: [{ type: "text", text: "gone" }] }),
  );
  server.registerTool("fail", { description: "Always fails.", inputSchema: {} }, async () => ({
    content: [{ type: "text", text: "the CRM is down" }],
    isError: true,
  }));
  return server;
}

async function handleMcp(req: IncomingMessage, res: ServerResponse) {
  mcpAuth.push(req.headers.authorization);
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

beforeAll(async () => {
  http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      httpSeen.push({ url: req.url!, body: Buffer.concat(chunks).toString() });
      waiting.push(() => res.end(`Booked ${req.url}`));
      if (waiting.length === 2) {
        for (const release of waiting) release();
        waiting = [];
      }
    });
  });
  httpBase = await listen(http);
  mcp = createServer((req, res) => {
    handleMcp(req, res).catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  });
  mcpUrl = `${await listen(mcp)}/mcp`;
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  a = await signUp(t);
  scope = new OrgScope(t.database.db, a.orgId);
});
afterAll(async () => {
  for (const server of [http, mcp]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await t.close();
});

async function createTool(json: unknown): Promise<{ id: string }> {
  const res = await t.request("POST", "/api/v1/tools", { token: a.accessToken, json });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

/** Results arrive in completion order; tests read them in call order. */
function byCallId<T extends { toolCallId: string }>(results: T[]): T[] {
  return [...results].sort((x, y) => x.toolCallId.localeCompare(y.toolCallId));
}

function host(tools: AgentDefinition["tools"], limits?: AgentDefinition["limits"]): AgentDefinition {
  return {
    name: "Host",
    slug: "host",
    instructions: "Book tables.",
    model: { model: "main" },
    tools,
    limits,
  };
}

describe("buildOrgTools with the run loop", () => {
  it("runs parallel calls concurrently and answers invalid arguments to the model, not the endpoint", async () => {
    const tool = await createTool({
      kind: "http",
      name: "book",
      description: "Book a table.",
      method: "POST",
      url: `${httpBase}/book/{day}`,
      parameters: {
        type: "object",
        properties: { day: { type: "string", enum: ["fri", "sat"] }, party: { type: "integer" } },
        required: ["day", "party"],
      },
      rateLimit: { maxCalls: 5, windowSeconds: 60 },
    });
    const built = await buildOrgTools(t.deps, scope, [tool.id]);
    expect(built.map((b) => b.name)).toEqual(["book"]);
    expect(toolRateLimits(built)).toEqual({ book: { maxCalls: 5, windowMs: 60_000 } });

    const model = new ScriptedModel({
      steps: [
        {
          toolCalls: [
            { id: "c1", name: "book", args: { day: "fri", party: 2 } },
            { id: "c2", name: "book", args: { day: "sat", party: 4 } },
            { id: "c3", name: "book", args: { day: "sunday", party: "many" } },
          ],
        },
        { text: "Booked Friday and Saturday." },
      ],
    });
    const agent = host(built, { toolRateLimits: toolRateLimits(built) });
    const { events, result } = await collectTurn(
      runTurn({ agents: { host: agent }, state: createSession(agent), input: "Book", models: () => model }),
    );
    expect(result.reason).toBe("completed");
    const results = byCallId(eventsOfType(events, "tool-result"));
    expect(results.map((r) => [r.isError, r.result.slice(0, 20)])).toEqual([
      [false, "Booked /book/fri"],
      [false, "Booked /book/sat"],
      [true, "Error: invalid argum"],
    ]);
    expect(results[2]!.result).toContain("day");
    expect(results[2]!.result).toContain("party");
    expect(httpSeen.map((s) => s.url).sort()).toEqual(["/book/fri", "/book/sat"]);
    expect(httpSeen.map((s) => JSON.parse(s.body))).toContainEqual({ party: 4 });
  });

  it("exposes an MCP server's allowed tools as <name>__<tool> and calls them with the bearer secret", async () => {
    const server = await createTool({
      kind: "mcp",
      name: "crm",
      description: "Customer records.",
      url: mcpUrl,
      secret: "mcp-token",
      allowedTools: ["lookup_customer", "fail"],
    });
    const built = await buildOrgTools(t.deps, scope, [server.id]);
    expect(built.map((b) => b.name).sort()).toEqual(["crm__fail", "crm__lookup_customer"]);
    const lookup = built.find((b) => b.name === "crm__lookup_customer")!;
    expect(lookup.description).toBe("Find a customer by phone number.");
    expect(lookup.checkArgs({ phone: "1" }).ok).toBe(false);

    const model = new ScriptedModel({
      steps: [
        {
          toolCalls: [
            { id: "c1", name: "crm__lookup_customer", args: { phone: "+44 20 7946 0000" } },
            { id: "c2", name: "crm__fail", args: {} },
            { id: "c3", name: "crm__lookup_customer", args: { phone: "1" } },
          ],
        },
        { text: "You are a VIP." },
      ],
    });
    const agent = host(built);
    const { events } = await collectTurn(
      runTurn({
        agents: { host: agent },
        state: createSession(agent),
        input: "Who am I?",
        models: () => model,
      }),
    );
    const results = byCallId(eventsOfType(events, "tool-result"));
    expect(results[0]).toMatchObject({
      isError: false,
      result: "Customer with +44 20 7946 0000: Ada Lovelace, VIP",
    });
    expect(results[1]).toMatchObject({ isError: true, result: "Error: the CRM is down" });
    expect(results[2]!.isError).toBe(true);
    expect(results[2]!.result).toContain("phone");
    expect(mcpAuth.length).toBeGreaterThan(0);
    expect(new Set(mcpAuth)).toEqual(new Set(["Bearer mcp-token"]));
  });

  it("lists and calls MCP tools from the dry-run endpoint", async () => {
    const server = await createTool({ kind: "mcp", name: "crm2", description: "CRM.", url: mcpUrl });
    const listed = await (
      await t.request("POST", `/api/v1/tools/${server.id}/test`, { token: a.accessToken, json: {} })
    ).json();
    expect(listed.ok).toBe(true);
    expect(listed.result.map((x: { exposedAs: string }) => x.exposedAs)).toContain("crm2__lookup_customer");
    const called = await (
      await t.request("POST", `/api/v1/tools/${server.id}/test`, {
        token: a.accessToken,
        json: { tool: "lookup_customer", arguments: { phone: "555-0100" } },
      })
    ).json();
    expect(called).toMatchObject({ ok: true, result: "Customer with 555-0100: Ada Lovelace, VIP" });
    const invalid = await t.request("POST", `/api/v1/tools/${server.id}/test`, {
      token: a.accessToken,
      json: { tool: "lookup_customer", arguments: {} },
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      "body.arguments.phone",
    ]);
  });

  it("skips an unreachable MCP server and unknown ids instead of failing the session", async () => {
    const dead = await createTool({
      kind: "mcp",
      name: "dead",
      description: "Gone.",
      url: "http://127.0.0.1:9/mcp",
    });
    const menu = await createTool({
      kind: "http",
      name: "menu",
      description: "Menu.",
      method: "GET",
      url: `${httpBase}/menu`,
    });
    const built = await buildOrgTools(t.deps, scope, [
      dead.id,
      menu.id,
      "00000000-0000-4000-8000-000000000000",
    ]);
    expect(built.map((b) => b.name)).toEqual(["menu"]);
  });

  it("sends every call through the outbound guard, not only the check at save time", async () => {
    const menu = await createTool({ kind: "http", name: "menu2", description: "M.", url: `${httpBase}/m` });
    const crm = await createTool({ kind: "mcp", name: "crm3", description: "CRM.", url: mcpUrl });
    const warnings: string[] = [];
    const strict = {
      ...t.deps,
      config: { fetchAllow: EMPTY_ALLOW_LIST },
      logger: { warn: (fields: { err?: Error }) => warnings.push(String(fields.err?.message)) },
    };
    const before = { http: httpSeen.length, mcp: mcpAuth.length };
    const built = await buildOrgTools(strict, scope, [menu.id, crm.id]);
    expect(built.map((b) => b.name)).toEqual(["menu2"]);
    expect(warnings.join("\n")).toContain("127.0.0.1");
    const ctx = { signal: new AbortController().signal } as Parameters<(typeof built)[0]["execute"]>[1];
    await expect(Promise.resolve(built[0]!.execute({}, ctx))).rejects.toThrow(/ORATIO_FETCH_ALLOW/);
    expect({ http: httpSeen.length, mcp: mcpAuth.length }).toEqual(before);
  });

  it("builds nothing from another organization's tools", async () => {
    const tool = await createTool({ kind: "http", name: "private", description: "P.", url: `${httpBase}/p` });
    const b = await signUp(t);
    const built = await buildOrgTools(t.deps, new OrgScope(t.database.db, b.orgId), [tool.id]);
    expect(built).toEqual([]);
  });
});
