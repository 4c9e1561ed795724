// @vitest-environment node
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mountDashboard } from "@oratio/server/dashboard";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../server/src/context.ts";

/** A dist folder shaped like Vite's output, with the nonce placeholder Vite writes. */
function fakeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "oratio-dist-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(
    path.join(dir, "index.html"),
    '<!doctype html><meta property="csp-nonce" nonce="__ORATIO_CSP_NONCE__"><script type="module" src="/assets/index-abc123.js" nonce="__ORATIO_CSP_NONCE__"></script>',
  );
  writeFileSync(path.join(dir, "assets", "index-abc123.js"), "console.log('dashboard')");
  writeFileSync(path.join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(path.join(tmpdir(), "outside-the-dist.txt"), "secret");
  return dir;
}

describe("mountDashboard", () => {
  let app: Hono<AppEnv>;
  beforeAll(() => {
    app = new Hono<AppEnv>();
    app.get("/api/v1/ping", (c) => c.json({ ok: true }));
    mountDashboard(app, fakeDist());
  });

  it("serves hashed assets with a year-long immutable cache", async () => {
    const response = await app.request("/assets/index-abc123.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await response.text()).toBe("console.log('dashboard')");
  });

  it("serves other files with revalidation", async () => {
    const response = await app.request("/favicon.svg");
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers client-side routes with index.html under a strict CSP and a fresh nonce", async () => {
    const first = await app.request("/members");
    const second = await app.request("/settings/organization");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("no-cache");
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await first.text();
    expect(html).not.toContain("__ORATIO_CSP_NONCE__");
    const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(await second.text()).not.toContain(`nonce="${nonce}"`);
  });

  it("leaves the API and server paths alone", async () => {
    expect(await (await app.request("/api/v1/ping")).json()).toEqual({ ok: true });
    for (const reserved of [
      "/api/v1/nothing",
      "/v1/chat/completions",
      "/docs",
      "/openapi.json",
      "/healthz",
      "/readyz",
    ]) {
      const response = await app.request(reserved);
      expect(response.status, reserved).toBe(404);
    }
  });

  it("gives 404 for missing files and paths that try to leave the folder", async () => {
    expect((await app.request("/assets/index-old999.js")).status).toBe(404);
    expect((await app.request("/../outside-the-dist.txt")).status).toBe(404);
    expect((await app.request("/%2e%2e/outside-the-dist.txt")).status).toBe(404);
    expect((await app.request("/%E0%A4%A")).status).toBe(200);
  });

  it("only answers GET (and HEAD)", async () => {
    expect((await app.request("/members", { method: "POST" })).status).toBe(404);
    const head = await app.request("/members", { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("says how to build the dashboard when it is missing", async () => {
    const bare = new Hono<AppEnv>();
    mountDashboard(bare, path.join(tmpdir(), "no-such-dashboard-dist"));
    const response = await bare.request("/members");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build -w @oratio/web");
  });
});
