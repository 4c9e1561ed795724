import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedDestinationError, createGuardedFetch } from "../src/index.ts";

let server: Server;
let origin: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/to-metadata") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      return;
    }
    if (req.url === "/stream") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      res.end("data: two\n\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function causeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return (error as { cause?: unknown } | undefined)?.cause;
}

describe("createGuardedFetch", () => {
  it("works like fetch for an allowed destination, streaming included", async () => {
    const guardedFetch = createGuardedFetch({ allowList: "127.0.0.1" });
    const json = await guardedFetch(`${origin}/api`, { method: "POST", body: "{}" });
    expect(await json.json()).toEqual({ ok: true });
    const stream = await guardedFetch(`${origin}/stream`);
    expect(await stream.text()).toBe("data: one\n\ndata: two\n\n");
  });

  it("refuses a loopback address that is not allow-listed, before connecting", async () => {
    const before = requests.length;
    const guardedFetch = createGuardedFetch({ allowList: "" });
    expect(await causeOf(guardedFetch(`${origin}/api`))).toBeInstanceOf(BlockedDestinationError);
    expect(requests.length).toBe(before);
  });

  it("refuses a hostname that resolves to a private address", async () => {
    const guardedFetch = createGuardedFetch({
      allowList: "",
      resolve: async () => [{ address: "10.1.2.3", family: 4 }],
    });
    expect(await causeOf(guardedFetch("http://intranet.example/"))).toBeInstanceOf(BlockedDestinationError);
  });

  it("refuses a redirect to the metadata address", async () => {
    const guardedFetch = createGuardedFetch({ allowList: "127.0.0.1" });
    const cause = await causeOf(guardedFetch(`${origin}/to-metadata`));
    expect(cause).toBeInstanceOf(BlockedDestinationError);
    expect((cause as BlockedDestinationError).message).toContain("169.254.169.254");
  });

  it("connects to the validated address for a name", async () => {
    const port = (server.address() as AddressInfo).port;
    const guardedFetch = createGuardedFetch({
      allowList: "127.0.0.1",
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    const response = await guardedFetch(`http://llm.invalid:${port}/v1`);
    expect(response.status).toBe(200);
  });
});
