import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { createApiKey, expectProblem, signUp } from "./helpers.ts";

let t: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  t = await createTestApp(
    {
      ORATIO_LOG_LEVEL: "info",
      ORATIO_BODY_LIMIT_BYTES: "2048",
      ORATIO_CORS_ORIGINS: "https://shop.example",
    },
    { logDestination: sink },
  );
});
afterAll(() => t.close());

describe("HTTP conventions", () => {
  it("answers health and readiness", async () => {
    expect(await (await t.request("GET", "/healthz")).json()).toEqual({ status: "ok" });
    const ready = await t.request("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe("ready");
  });

  it("puts a request id and security headers on every response", async () => {
    const res = await t.request("GET", "/api/v1/nope");
    await expectProblem(res, 404);
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("names every bad and unknown field in a 400 problem document", async () => {
    const res = await t.request("POST", "/api/v1/auth/signup", {
      json: { email: "not-an-email", password: "short", name: "", organizationName: "X", admin: true },
    });
    const problem = await expectProblem(res, 400);
    const paths = problem.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["body.email", "body.password", "body.name", "body.admin"]));
    expect(problem.detail).toContain("body.email");
  });

  it("answers 400 for malformed JSON, 415 for the wrong content type and 413 for oversized bodies", async () => {
    await expectProblem(
      await t.request("POST", "/api/v1/auth/login", {
        body: "{nope",
        headers: { "content-type": "application/json" },
      }),
      400,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/auth/login", {
        body: "email=a",
        headers: { "content-type": "text/plain" },
      }),
      415,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/auth/login", {
        json: { email: "a@b.co", password: "x".repeat(5000) },
      }),
      413,
    );
  });

  it("validates path parameters after authentication", async () => {
    const a = await signUp(t);
    await expectProblem(
      await t.request("DELETE", "/api/v1/api-keys/not-a-uuid", { token: a.accessToken }),
      400,
      "path.id",
    );
  });

  it("allows CORS only for configured origins", async () => {
    const allowed = await t.request("OPTIONS", "/api/v1/me", {
      headers: { origin: "https://shop.example", "access-control-request-method": "GET" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const denied = await t.request("OPTIONS", "/api/v1/me", {
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never writes passwords, tokens or keys to the log", async () => {
    const password = "very-secret-password-42";
    const signup = await t.request("POST", "/api/v1/auth/signup", {
      json: { email: "logged@example.com", password, name: "L", organizationName: "Logs Inc" },
    });
    const { accessToken, refreshToken } = await signup.json();
    await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken } });
    await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken } }); // reuse → warning logged
    const key = await createApiKey(t, accessToken);
    await t.request("GET", "/api/v1/organization", { token: key.key });
    await t.request("GET", `/api/v1/events?access_token=${accessToken}`, {
      headers: { accept: "text/event-stream" },
    });
    const log = logLines.join("");
    expect(log).toContain('"path":"/api/v1/auth/signup"');
    expect(log).toContain("refresh token reuse detected");
    for (const secret of [password, accessToken, refreshToken, key.key]) expect(log).not.toContain(secret);
  });
});

describe("rate limits", () => {
  it("limits each IP and each API key separately with 429 and Retry-After", async () => {
    const limited = await createTestApp({
      ORATIO_RATE_LIMIT_PER_IP: "5",
      ORATIO_RATE_LIMIT_PER_KEY: "3",
      ORATIO_RATE_LIMIT_AUTH_PER_IP: "2",
      ORATIO_TRUST_PROXY: "true",
    });
    try {
      const ip = (n: number) => ({ "x-forwarded-for": `203.0.113.${n}` });
      // Credential endpoints: 2 per minute per IP.
      const signup = await limited.request("POST", "/api/v1/auth/signup", {
        headers: ip(1),
        json: { email: "rl@example.com", password: "password-123", name: "R", organizationName: "R" },
      });
      const { accessToken } = await signup.json();
      await limited.request("POST", "/api/v1/auth/login", {
        headers: ip(1),
        json: { email: "rl@example.com", password: "x1234567" },
      });
      const third = await limited.request("POST", "/api/v1/auth/login", {
        headers: ip(1),
        json: { email: "rl@example.com", password: "x1234567" },
      });
      await expectProblem(third, 429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);

      // Per key: 3 per minute, counted across IPs.
      const key = await createApiKey(limited, accessToken);
      for (let i = 0; i < 3; i++) {
        expect(
          (await limited.request("GET", "/api/v1/organization", { token: key.key, headers: ip(10 + i) }))
            .status,
        ).toBe(200);
      }
      await expectProblem(
        await limited.request("GET", "/api/v1/organization", { token: key.key, headers: ip(20) }),
        429,
      );

      // Per IP: 5 per minute whatever the credentials.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await limited.request("GET", "/api/v1/me", { headers: ip(30) })).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses[5]).toBe(429);
      // Another address is unaffected.
      expect((await limited.request("GET", "/api/v1/me", { headers: ip(31) })).status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
