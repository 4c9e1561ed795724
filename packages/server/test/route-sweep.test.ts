import { notifications, OrgScope } from "@oratio/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeAccess } from "../src/lib/openapi.ts";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, type SignedUp, signUp } from "./helpers.ts";

/**
 * Sweeps every registered route, so routes added later are covered without anyone
 * remembering to write a test: each must be documented in /openapi.json, declare who
 * may call it, and refuse a second organization's access to the first one's resources.
 */

/** Routes outside the API that are deliberately not in the OpenAPI document. */
const UNDOCUMENTED = new Set([
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/scalar.js",
  // The dashboard: static files and its single-page app for every other GET.
  "GET /*",
]);

interface Fixtures {
  a: SignedUp;
  apiKeyId: string;
  invitationId: string;
  memberUserId: string;
  jobId: string;
  agentId: string;
  providerId: string;
  knowledgeBaseId: string;
  documentId: string;
  sourceId: string;
  toolId: string;
  sessionId: string;
  notificationId: string;
}

/**
 * For every route with path parameters: the first organization's resource to aim at,
 * and a valid body where the route takes one. A new route with parameters fails the
 * sweep until it is listed here.
 */
const uploadForm = () => {
  const form = new FormData();
  form.append("files", new File(["Opening hours: 9 to 5."], "hours.txt", { type: "text/plain" }));
  return form;
};

const TARGETS: Record<
  string,
  { params: (f: Fixtures) => Record<string, string>; body?: unknown; form?: () => FormData; query?: string }
> = {
  "PATCH /api/v1/members/:userId": { params: (f) => ({ userId: f.memberUserId }), body: { role: "viewer" } },
  "DELETE /api/v1/members/:userId": { params: (f) => ({ userId: f.memberUserId }) },
  "DELETE /api/v1/invitations/:id": { params: (f) => ({ id: f.invitationId }) },
  "DELETE /api/v1/api-keys/:id": { params: (f) => ({ id: f.apiKeyId }) },
  "GET /api/v1/jobs/:id": { params: (f) => ({ id: f.jobId }) },
  "GET /api/v1/knowledge-bases/:id": { params: (f) => ({ id: f.knowledgeBaseId }) },
  "PATCH /api/v1/knowledge-bases/:id": {
    params: (f) => ({ id: f.knowledgeBaseId }),
    body: { name: "Hijacked" },
  },
  "DELETE /api/v1/knowledge-bases/:id": { params: (f) => ({ id: f.knowledgeBaseId }) },
  "POST /api/v1/knowledge-bases/:id/documents": {
    params: (f) => ({ id: f.knowledgeBaseId }),
    form: uploadForm,
  },
  "GET /api/v1/knowledge-bases/:id/documents": { params: (f) => ({ id: f.knowledgeBaseId }) },
  "DELETE /api/v1/knowledge-bases/:id/documents/:docId": {
    params: (f) => ({ id: f.knowledgeBaseId, docId: f.documentId }),
  },
  "POST /api/v1/knowledge-bases/:id/sources": {
    params: (f) => ({ id: f.knowledgeBaseId }),
    body: { type: "url", url: "http://127.0.0.1:9/" },
  },
  "GET /api/v1/knowledge-bases/:id/sources": { params: (f) => ({ id: f.knowledgeBaseId }) },
  "POST /api/v1/knowledge-bases/:id/sources/:sourceId/sync": {
    params: (f) => ({ id: f.knowledgeBaseId, sourceId: f.sourceId }),
  },
  "DELETE /api/v1/knowledge-bases/:id/sources/:sourceId": {
    params: (f) => ({ id: f.knowledgeBaseId, sourceId: f.sourceId }),
  },
  "POST /api/v1/knowledge-bases/:id/search": {
    params: (f) => ({ id: f.knowledgeBaseId }),
    body: { query: "hours" },
  },
  "DELETE /api/v1/providers/:id": { params: (f) => ({ id: f.providerId }) },
  "GET /api/v1/agents/:id": { params: (f) => ({ id: f.agentId }) },
  "PATCH /api/v1/agents/:id": { params: (f) => ({ id: f.agentId }), body: { greeting: "Hijacked" } },
  "DELETE /api/v1/agents/:id": { params: (f) => ({ id: f.agentId }) },
  "GET /api/v1/agents/:id/versions": { params: (f) => ({ id: f.agentId }) },
  "GET /api/v1/agents/:id/versions/:version": { params: (f) => ({ id: f.agentId, version: "1" }) },
  "GET /api/v1/agents/:id/diff": { params: (f) => ({ id: f.agentId }), query: "?from=1&to=1" },
  "POST /api/v1/agents/:id/publish": { params: (f) => ({ id: f.agentId }), body: { version: 1 } },
  "GET /api/v1/jobs/:id/events": { params: (f) => ({ id: f.jobId }) },
  "POST /api/v1/jobs/:id/cancel": { params: (f) => ({ id: f.jobId }) },
  "GET /api/v1/tools/:id": { params: (f) => ({ id: f.toolId }) },
  "POST /api/v1/sessions/:id/messages": { params: (f) => ({ id: f.sessionId }), body: { text: "hello" } },
  "GET /api/v1/sessions/:id": { params: (f) => ({ id: f.sessionId }) },
  "GET /api/v1/sessions/:id/events": { params: (f) => ({ id: f.sessionId }) },
  "POST /api/v1/sessions/:id/end": { params: (f) => ({ id: f.sessionId }) },
  "POST /api/v1/sessions/:id/takeover": { params: (f) => ({ id: f.sessionId }) },
  "POST /api/v1/sessions/:id/release": { params: (f) => ({ id: f.sessionId }) },
  "POST /api/v1/sessions/:id/operator-messages": {
    params: (f) => ({ id: f.sessionId }),
    body: { text: "hi" },
  },
  "POST /api/v1/notifications/:id/read": { params: (f) => ({ id: f.notificationId }) },
  "GET /api/v1/sessions/:id/voice": { params: (f) => ({ id: f.sessionId }) },
  "GET /api/v1/sessions/:id/stream": { params: (f) => ({ id: f.sessionId }) },
  "GET /api/v1/sessions/:id/recording": { params: (f) => ({ id: f.sessionId }) },
  // No phone number fixture: telephony.test.ts deletes another organization's number for real.
  "DELETE /api/v1/phone-numbers/:id": { params: (f) => ({ id: f.agentId }) },
  "PATCH /api/v1/tools/:id": { params: (f) => ({ id: f.toolId }), body: { description: "Hijacked" } },
  "DELETE /api/v1/tools/:id": { params: (f) => ({ id: f.toolId }) },
  "POST /api/v1/tools/:id/test": { params: (f) => ({ id: f.toolId }), body: { arguments: {} } },
  "GET /api/v1/agents/generation-reports/:id": { params: (f) => ({ id: f.jobId }) },
  "GET /api/v1/agents/:id/profile": { params: (f) => ({ id: f.agentId }) },
  "PUT /api/v1/agents/:id/profile": {
    params: (f) => ({ id: f.agentId }),
    body: {
      businessName: null,
      description: null,
      hours: [],
      ...Object.fromEntries(
        ["locations", "contact", "serviceArea", "services", "prices", "booking", "cancellation", "payment"]
          .concat(["discounts", "warranties", "policies", "emergencies", "staff", "languagesAccessibility"])
          .concat(["faqs", "escalationContacts"])
          .map((k) => [k, []]),
      ),
    },
  },
  "GET /api/v1/agents/:id/procedures": { params: (f) => ({ id: f.agentId }) },
  "GET /api/v1/agents/:id/tests": { params: (f) => ({ id: f.agentId }) },
  "POST /api/v1/agents/:id/tests": {
    params: (f) => ({ id: f.agentId }),
    body: { name: "t", turns: ["hi"], expectations: { mustMention: ["hello"] } },
  },
  "DELETE /api/v1/agents/:id/tests/:testId": { params: (f) => ({ id: f.agentId, testId: f.jobId }) },
  "POST /api/v1/agents/:id/tests/run": { params: (f) => ({ id: f.agentId }), body: {} },
  "GET /api/v1/agents/:id/test-runs": { params: (f) => ({ id: f.agentId }) },
  "GET /api/v1/agents/:id/test-runs/:runId": { params: (f) => ({ id: f.agentId, runId: f.jobId }) },
};

let t: TestApp;
let fx: Fixtures;
let b: SignedUp;

function registeredRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  return t.app.routes
    .filter((r) => r.method !== "ALL")
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((r) => ({ method: r.method, path: r.path }));
}

beforeAll(async () => {
  t = await createTestApp({ ORATIO_FETCH_ALLOW: "127.0.0.1" });
  const a = await signUp(t);
  const key = await createApiKey(t, a.accessToken);
  const invite = async (email: string) =>
    (await (
      await t.request("POST", "/api/v1/invitations", { token: a.accessToken, json: { email } })
    ).json()) as {
      id: string;
      token: string;
    };
  const joined = await invite("colleague@example.com");
  const member = await (
    await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "colleague@example.com",
        password: "password-123",
        name: "C",
        invitationToken: joined.token,
      },
    })
  ).json();
  const pending = await invite("pending@example.com");
  t.deps.jobs.register(
    "sweep.wait",
    (ctx) => new Promise((resolve) => ctx.signal.addEventListener("abort", resolve)),
  );
  const job = await t.deps.jobs.enqueue(new OrgScope(t.database.db, a.orgId), "sweep.wait", {});
  const provider = await (
    await t.request("POST", "/api/v1/providers", {
      token: a.accessToken,
      json: { name: "P", type: "openai", apiKey: "k" },
    })
  ).json();
  const agent = await (
    await t.request("POST", "/api/v1/agents", {
      token: a.accessToken,
      json: { name: "Desk", instructions: "Help.", model: { providerId: "local", model: "m" } },
    })
  ).json();
  const kb = await (
    await t.request("POST", "/api/v1/knowledge-bases", { token: a.accessToken, json: { name: "KB" } })
  ).json();
  const uploaded = await (
    await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/documents`, {
      token: a.accessToken,
      body: uploadForm(),
    })
  ).json();
  const source = await (
    await t.request("POST", `/api/v1/knowledge-bases/${kb.id}/sources`, {
      token: a.accessToken,
      json: { type: "url", url: "http://127.0.0.1:9/" },
    })
  ).json();
  const tool = await (
    await t.request("POST", "/api/v1/tools", {
      token: a.accessToken,
      json: { kind: "http", name: "lookup", description: "Look up.", url: "http://127.0.0.1:9/lookup" },
    })
  ).json();
  const session = await (
    await t.request("POST", "/api/v1/sessions", {
      token: a.accessToken,
      json: { agentId: agent.id, channel: "chat" },
    })
  ).json();
  const [notification] = await t.database.db
    .insert(notifications)
    .values({ orgId: a.orgId, kind: "needs_human", title: "t", body: "b", sessionId: session.id })
    .returning();
  fx = {
    a,
    sessionId: session.id,
    notificationId: notification!.id,
    toolId: tool.id,
    knowledgeBaseId: kb.id,
    documentId: uploaded.documents[0].id,
    sourceId: source.sourceId,
    apiKeyId: key.id,
    invitationId: pending.id,
    memberUserId: member.user.id,
    jobId: job.id,
    agentId: agent.id,
    providerId: provider.id,
  };
  b = await signUp(t);
});
afterAll(() => t.close());

describe("route sweep", () => {
  it("documents every route in /openapi.json", async () => {
    const doc = await (await t.request("GET", "/openapi.json")).json();
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(ops))
        documented.add(`${method.toUpperCase()} ${path.replace(/{(\w+)}/g, ":$1")}`);
    }
    const missing = registeredRoutes()
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !UNDOCUMENTED.has(r) && !documented.has(r));
    expect(missing).toEqual([]);
    expect(documented.size).toBeGreaterThan(15);
  });

  it("declares access rules for every API route", () => {
    const undeclared = registeredRoutes()
      .filter((r) => r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method} ${r.path.replace("/api/v1", "").replace(/:(\w+)/g, "{$1}")}`)
      .filter((key) => !routeAccess.has(key));
    expect(undeclared).toEqual([]);
  });

  it("answers 404 to another organization for every route that names a resource", async () => {
    const withParams = registeredRoutes().filter(
      (r) => r.path.startsWith("/api/v1/") && r.path.includes("/:"),
    );
    const unlisted = withParams.map((r) => `${r.method} ${r.path}`).filter((k) => !TARGETS[k]);
    expect(unlisted, "add these routes to TARGETS in route-sweep.test.ts").toEqual([]);

    const failures: string[] = [];
    for (const route of withParams) {
      const target = TARGETS[`${route.method} ${route.path}`]!;
      const params = target.params(fx);
      const url =
        route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? "missing") + (target.query ?? "");
      const res = await t.request(route.method, url, {
        token: b.accessToken,
        json: target.body,
        body: target.form?.(),
      });
      if (res.status !== 404) failures.push(`${route.method} ${url} → ${res.status}`);
    }
    expect(failures).toEqual([]);

    // And the first organization's resources are untouched.
    const members = await (await t.request("GET", "/api/v1/members", { token: fx.a.accessToken })).json();
    expect(members.data.find((m: { userId: string }) => m.userId === fx.memberUserId)?.role).toBe("member");
    const job = await (
      await t.request("GET", `/api/v1/jobs/${fx.jobId}`, { token: fx.a.accessToken })
    ).json();
    expect(job.status).not.toBe("cancelled");
    const docs = await (
      await t.request("GET", `/api/v1/knowledge-bases/${fx.knowledgeBaseId}/documents`, {
        token: fx.a.accessToken,
      })
    ).json();
    expect(docs.data.map((d: { id: string }) => d.id)).toContain(fx.documentId);
    const keys = await (await t.request("GET", "/api/v1/api-keys", { token: fx.a.accessToken })).json();
    expect(keys.data.map((k: { id: string }) => k.id)).toContain(fx.apiKeyId);
  });

  it("never shows another organization's ids in list endpoints", async () => {
    const lists = registeredRoutes().filter(
      (r) => r.method === "GET" && r.path.startsWith("/api/v1/") && !r.path.includes("/:"),
    );
    const foreignIds = [
      fx.a.orgId,
      fx.apiKeyId,
      fx.invitationId,
      fx.memberUserId,
      fx.a.userId,
      fx.jobId,
      fx.agentId,
      fx.providerId,
      fx.toolId,
      fx.knowledgeBaseId,
      fx.documentId,
      fx.sourceId,
      fx.sessionId,
      fx.notificationId,
    ];
    for (const route of lists) {
      if (route.path === "/api/v1/events") continue; // a live stream; covered by the events tests
      const res = await t.request("GET", route.path, { token: b.accessToken });
      const text = await res.text();
      for (const id of foreignIds) expect(text, `${route.path} leaks ${id}`).not.toContain(id);
    }
  });
});
