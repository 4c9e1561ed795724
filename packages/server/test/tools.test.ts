import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tools } from "@oratio/db";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSecret } from "../src/crypto/secret-box.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, expectProblem, type SignedUp, signUp } from "./helpers.ts";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A local endpoint for tools to call; each test sets how it answers and reads what it got. */
let endpoint: Server;
let base: string;
let received: Received[] = [];
let answer: (req: Received, res: ServerResponse) => void = (_, res) => res.end("{}");

let t: TestApp;
let a: SignedUp;
const whsec = `whsec_${randomBytes(24).toString("base64")}`;

beforeAll(async () => {
  endpoint = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  a = await signUp(t);
});
afterEach(() => {
  received = [];
  answer = (_, res) => res.end("{}");
});
afterAll(async () => {
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
  await t.close();
});

const booking = () => ({
  kind: "http",
  name: `book_table_${randomBytes(3).toString("hex")}`,
  description: "Book a table for a date.",
  method: "POST",
  url: `${base}/restaurants/{restaurant}/bookings`,
  headers: { "X-Party": "{party}" },
  parameters: {
    type: "object",
    properties: {
      restaurant: { type: "string" },
      party: { type: "integer", minimum: 1 },
      date: { type: "string", format: "date" },
    },
    required: ["restaurant", "party", "date"],
    additionalProperties: false,
  },
  secret: whsec,
});

async function createTool(json: unknown, token = a.accessToken) {
  const res = await t.request("POST", "/api/v1/tools", { token, json });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}

const dryRun = (id: string, json: unknown, token = a.accessToken) =>
  t.request("POST", `/api/v1/tools/${id}/test`, { token, json });

describe("tool definitions", () => {
  it("creates, lists, reads, changes and deletes a tool without ever returning its secret", async () => {
    const tool = await createTool(booking());
    expect(tool).toMatchObject({
      kind: "http",
      method: "POST",
      timeoutMs: 10_000,
      retries: 2,
      maxResponseBytes: 262_144,
      hasSecret: true,
    });
    expect(JSON.stringify(tool)).not.toContain(whsec);
    const [row] = await t.database.db.select().from(tools).where(eq(tools.id, tool.id));
    expect(row!.secretEncrypted).not.toContain(whsec);
    expect(openSecret(t.deps.keyring.encryption, row!.secretEncrypted!)).toBe(whsec);

    const list = await (await t.request("GET", "/api/v1/tools", { token: a.accessToken })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toContain(tool.id);
    expect(JSON.stringify(list)).not.toContain(whsec);
    const got = await (await t.request("GET", `/api/v1/tools/${tool.id}`, { token: a.accessToken })).json();
    expect(got).toEqual(tool);

    const patched = await t.request("PATCH", `/api/v1/tools/${tool.id}`, {
      token: a.accessToken,
      json: { description: "Reserve a table.", retries: 0, secret: null },
    });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(await patched.json()).toMatchObject({
      description: "Reserve a table.",
      retries: 0,
      hasSecret: false,
      url: tool.url,
    });

    const del = await t.request("DELETE", `/api/v1/tools/${tool.id}`, { token: a.accessToken });
    expect(del.status).toBe(204);
    await expectProblem(await t.request("GET", `/api/v1/tools/${tool.id}`, { token: a.accessToken }), 404);
  });

  it("refuses names of built-in tools, duplicate names and broken parameter schemas", async () => {
    for (const name of ["search_knowledge", "end_session", "transfer_to_billing", "9lives", "a__b"]) {
      await expectProblem(
        await t.request("POST", "/api/v1/tools", { token: a.accessToken, json: { ...booking(), name } }),
        400,
        "body.name",
      );
    }
    const first = await createTool(booking());
    await expectProblem(
      await t.request("POST", "/api/v1/tools", {
        token: a.accessToken,
        json: { ...booking(), name: first.name },
      }),
      409,
    );
    const broken = { ...booking(), parameters: { type: "object", properties: { x: { type: "strng" } } } };
    const problem = await expectProblem(
      await t.request("POST", "/api/v1/tools", { token: a.accessToken, json: broken }),
      400,
      "body.parameters",
    );
    expect(problem.detail).toContain("parameters");
    await expectProblem(
      await t.request("POST", "/api/v1/tools", {
        token: a.accessToken,
        json: { ...booking(), url: `${base}/x/{unknown}` },
      }),
      400,
      "body.url",
    );
    await expectProblem(
      await t.request("POST", "/api/v1/tools", {
        token: a.accessToken,
        json: { ...booking(), url: "http://{restaurant}.example.com/" },
      }),
      400,
      "body.url",
    );
    await expectProblem(
      await t.request("PATCH", `/api/v1/tools/${first.id}`, {
        token: a.accessToken,
        json: { allowedTools: ["x"] },
      }),
      400,
      "body.allowedTools",
    );
  });

  it("refuses internal addresses when saving unless the operator allows them", async () => {
    const metadata = await expectProblem(
      await t.request("POST", "/api/v1/tools", {
        token: a.accessToken,
        json: { ...booking(), url: "http://169.254.169.254/latest/meta-data/{restaurant}" },
      }),
      400,
      "body.url",
    );
    expect(metadata.detail).toContain("169.254.169.254");

    const strict = await createTestApp();
    try {
      const b = await signUp(strict);
      const loopback = await expectProblem(
        await strict.request("POST", "/api/v1/tools", { token: b.accessToken, json: booking() }),
        400,
        "body.url",
      );
      expect(loopback.detail).toContain("ORATIO_FETCH_ALLOW");
      await expectProblem(
        await strict.request("POST", "/api/v1/tools", {
          token: b.accessToken,
          json: { kind: "mcp", name: "crm", description: "CRM", url: "http://127.0.0.1:1/mcp" },
        }),
        400,
        "body.url",
      );
    } finally {
      await strict.close();
    }
    expect(received).toEqual([]);
  });

  it("lets viewers read and only admins (or keys with tools:write) change tools", async () => {
    const tool = await createTool(booking());
    const readOnly = await createApiKey(t, a.accessToken, ["tools:read"]);
    expect((await t.request("GET", "/api/v1/tools", { token: readOnly.key })).status).toBe(200);
    await expectProblem(
      await t.request("POST", "/api/v1/tools", { token: readOnly.key, json: booking() }),
      403,
    );
    await expectProblem(await dryRun(tool.id, { arguments: {} }, readOnly.key), 403);
  });

  it("refuses to delete a tool an agent offers", async () => {
    const tool = await createTool(booking());
    const agent = await (
      await t.request("POST", "/api/v1/agents", {
        token: a.accessToken,
        json: {
          name: "Host",
          instructions: "Book tables.",
          model: { providerId: "local", model: "m" },
          toolIds: [tool.id],
        },
      })
    ).json();
    await expectProblem(await t.request("DELETE", `/api/v1/tools/${tool.id}`, { token: a.accessToken }), 409);
    await t.request("DELETE", `/api/v1/agents/${agent.id}`, { token: a.accessToken });
    expect((await t.request("DELETE", `/api/v1/tools/${tool.id}`, { token: a.accessToken })).status).toBe(
      204,
    );
  });
});

describe("dry run of an HTTP tool", () => {
  it("fills the template, sends the arguments and signs the request per Standard Webhooks", async () => {
    answer = (_, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ confirmed: true, table: 12 }));
    };
    const tool = await createTool(booking());
    const res = await dryRun(tool.id, {
      arguments: { restaurant: "Chez Nous/Paris?x=1", party: 4, date: "2026-03-14" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const result = await res.json();
    expect(result).toMatchObject({ ok: true, status: 200, attempts: 1 });
    expect(JSON.parse(result.result)).toEqual({ confirmed: true, table: 12 });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe("/restaurants/Chez%20Nous%2FParis%3Fx%3D1/bookings");
    expect(request!.headers["x-party"]).toBe("4");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({ date: "2026-03-14" });
    expect(request!.headers["webhook-id"]).toMatch(/^msg_/);
    const verified = new Webhook(whsec).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toEqual({ date: "2026-03-14" });
    expect(() =>
      new Webhook(`whsec_${randomBytes(24).toString("base64")}`).verify(
        request!.body,
        request!.headers as Record<string, string>,
      ),
    ).toThrow();
  });

  it("signs with a plain (non-whsec) secret as raw bytes, and puts GET arguments in the query", async () => {
    const tool = await createTool({
      kind: "http",
      name: "order_status",
      description: "Look up an order.",
      method: "GET",
      url: `${base}/orders/{orderId}?source=agent`,
      parameters: {
        type: "object",
        properties: { orderId: { type: "string" }, verbose: { type: "boolean" } },
        required: ["orderId"],
      },
      secret: "plain-shared-secret",
    });
    answer = (_, res) => res.end("Shipped on Monday.");
    const result = await (await dryRun(tool.id, { arguments: { orderId: "A 17", verbose: true } })).json();
    expect(result).toMatchObject({ ok: true, result: "Shipped on Monday." });
    expect(received[0]!.url).toBe("/orders/A%2017?source=agent&verbose=true");
    expect(received[0]!.body).toBe("");
    new Webhook("plain-shared-secret", { format: "raw" }).verify(
      "",
      received[0]!.headers as Record<string, string>,
      {
        jsonParse: false,
      },
    );
  });

  it("refuses invalid arguments with the fields named, and nothing reaches the endpoint", async () => {
    const tool = await createTool(booking());
    const res = await dryRun(tool.id, { arguments: { restaurant: "X", party: 0, date: "soon", extra: 1 } });
    const problem = await expectProblem(res, 400);
    expect(problem.errors!.map((e) => e.path).sort()).toEqual([
      "body.arguments.date",
      "body.arguments.extra",
      "body.arguments.party",
    ]);
    await expectProblem(
      await dryRun(tool.id, { arguments: { party: 2, date: "2026-01-01" } }),
      400,
      "body.arguments.restaurant",
    );
    expect(received).toEqual([]);
  });

  it("retries an idempotent GET on 503 with backoff, but never a POST", async () => {
    let calls = 0;
    answer = (_, res) => {
      calls++;
      if (calls < 3) {
        res.statusCode = 503;
        res.end("busy");
      } else res.end("third time lucky");
    };
    const get = await createTool({
      kind: "http",
      name: "menu",
      description: "Today's menu.",
      method: "GET",
      url: `${base}/menu`,
    });
    const ok = await (await dryRun(get.id, { arguments: {} })).json();
    expect(ok).toMatchObject({ ok: true, status: 200, attempts: 3, result: "third time lucky" });
    expect(received).toHaveLength(3);
    // Retries are the same message (one id) signed afresh.
    expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(1);

    received = [];
    answer = (_, res) => {
      res.statusCode = 503;
      res.end("busy");
    };
    const post = await createTool({ ...booking(), retries: 3 });
    const failed = await (
      await dryRun(post.id, { arguments: { restaurant: "X", party: 2, date: "2026-01-01" } })
    ).json();
    expect(failed).toMatchObject({ ok: false, status: 503, attempts: 1 });
    expect(failed.error).toContain("HTTP 503");
    expect(received).toHaveLength(1);
  });

  it("stops reading a response past the size cap", async () => {
    answer = (_, res) => res.end("x".repeat(5000));
    const tool = await createTool({
      kind: "http",
      name: "big",
      description: "Too much.",
      method: "GET",
      url: `${base}/big`,
      maxResponseBytes: 1000,
      retries: 0,
    });
    const result = await (await dryRun(tool.id, { arguments: {} })).json();
    expect(result.ok).toBe(false);
    expect(result.error).toContain("1000-byte limit");
  });

  it("truncates a long answer for the model and says so", async () => {
    answer = (_, res) => res.end("y".repeat(20_000));
    const tool = await createTool({
      kind: "http",
      name: "long",
      description: "Long.",
      method: "GET",
      url: `${base}/long`,
    });
    const result = await (await dryRun(tool.id, { arguments: {} })).json();
    expect(result.ok).toBe(true);
    expect(result.result).toMatch(/\[Truncated: showing 16000 of 20000 characters\.\]$/);
  });

  it("gives up on an endpoint that does not answer within the time limit", async () => {
    answer = () => {}; // never answers
    const tool = await createTool({
      kind: "http",
      name: "slow",
      description: "Slow.",
      method: "POST",
      url: `${base}/slow`,
      // Long enough for the request to reach the endpoint on a loaded machine (it is
      // counted below), short enough to keep the test quick.
      timeoutMs: 1000,
    });
    const result = await (await dryRun(tool.id, { arguments: {} })).json();
    expect(result).toMatchObject({ ok: false, attempts: 1 });
    expect(result.error).toContain("within 1000 ms");
    expect(received).toHaveLength(1);
  });

  it("is invisible to another organization", async () => {
    const tool = await createTool(booking());
    const b = await signUp(t);
    await expectProblem(await dryRun(tool.id, { arguments: {} }, b.accessToken), 404);
    const url = `/api/v1/tools/${tool.id}`;
    await expectProblem(await t.request("GET", url, { token: b.accessToken }), 404);
    await expectProblem(
      await t.request("PATCH", url, { token: b.accessToken, json: { description: "Hijacked" } }),
      404,
    );
    await expectProblem(await t.request("DELETE", url, { token: b.accessToken }), 404);
    const still = await (await t.request("GET", url, { token: a.accessToken })).json();
    expect(still.description).toBe("Book a table for a date.");
    const list = await (await t.request("GET", "/api/v1/tools", { token: b.accessToken })).json();
    expect(list.data).toEqual([]);
    expect(received).toEqual([]);
  });
});
