import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SERVER_STARTUP_V8_FLAGS } from "../src/heap-tuning.ts";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/** `npm start`'s command line, so these tests start the server exactly as users do. */
const [, ...startArgs] = (
  JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts.start as string
).split(/\s+/);

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, startArgs, {
    cwd: repoRoot,
    // A dashboard dir is named so the start script does not build the dashboard here.
    env: { PATH: process.env.PATH, ORATIO_DASHBOARD_DIR: tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const line = stdout.split("\n").find((l) => l.includes("Oratio is ready"));
      if (line) resolve(JSON.parse(line).url as string);
    });
    exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // Awaited only by tests that expect a successful start.
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe("the start command", () => {
  it("starts node with the V8 flags a server holding voice calls needs", () => {
    expect(startArgs.at(-1)).toBe("scripts/start.mjs");
    expect(startArgs).toEqual(expect.arrayContaining([...SERVER_STARTUP_V8_FLAGS]));
  });

  it("creates the data dir, migrates the embedded database and serves the API", async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "oratio-start-")), "data");
    try {
      const server = start({ PORT: "0", ORATIO_DATA_DIR: dataDir });
      const url = await server.ready;
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toEqual({ status: "ready", database: "pglite" });
      const signup = await fetch(`${url}/api/v1/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: "first@example.com",
          password: "password-123",
          name: "F",
          organizationName: "F",
        }),
      });
      expect(signup.status).toBe(201);
      expect(existsSync(path.join(dataDir, "db"))).toBe(true);
      const keyFile = path.join(dataDir, "secret.key");
      expect(readFileSync(keyFile, "utf8").trim().length).toBeGreaterThanOrEqual(32);
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);

      // Data survives a restart.
      const again = start({ PORT: "0", ORATIO_DATA_DIR: dataDir });
      const url2 = await again.ready;
      const login = await fetch(`${url2}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "first@example.com", password: "password-123" }),
      });
      expect(login.status).toBe(200);
      again.child.kill("SIGTERM");
      await again.exited;
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses to start with a bad setting and names it", async () => {
    const server = start({ PORT: "eighty", DATABASE_URL: "mysql://nope" });
    expect(await server.exited).toBe(78);
    const { stderr } = server.output();
    expect(stderr).toContain("PORT");
    expect(stderr).toContain("DATABASE_URL");
  });
});
