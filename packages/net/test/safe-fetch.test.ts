import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlockedDestinationError,
  FetchTimeoutError,
  ResponseTooLargeError,
  safeFetch,
  TooManyRedirectsError,
} from "../src/index.ts";

let server: Server;
let origin: string;
const requests: string[] = [];
const ALLOW_LOCAL = "127.0.0.1";

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    switch (req.url) {
      case "/ok":
        res.writeHead(200, { "content-type": "text/plain" }).end("hello");
        return;
      case "/echo":
        req.on("data", () => {});
        req.on("end", () =>
          res
            .writeHead(200)
            .end(JSON.stringify({ method: req.method, auth: req.headers.authorization ?? null })),
        );
        return;
      case "/big":
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("x".repeat(4096));
        return;
      case "/big-chunked":
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("y".repeat(2048));
        res.end("y".repeat(2048));
        return;
      case "/slow":
        // Never answers; the client's time limit must end the exchange.
        return;
      case "/to-ok":
        res.writeHead(302, { location: "/ok" }).end();
        return;
      case "/post-303":
        res.writeHead(303, { location: "/echo" }).end();
        return;
      case "/to-metadata":
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      case "/to-file":
        res.writeHead(301, { location: "file:///etc/passwd" }).end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" }).end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("safeFetch blocks internal destinations", () => {
  it.each([
    "http://127.0.0.1:9/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:9/",
    "http://[::ffff:127.0.0.1]:9/",
    "http://100.64.1.1/",
    "http://0.0.0.0/",
  ])("refuses %s before connecting", async (url) => {
    await expect(safeFetch(url, { allowList: "" })).rejects.toBeInstanceOf(BlockedDestinationError);
  });

  it.each(["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/"])(
    "refuses the scheme of %s",
    async (url) => {
      await expect(safeFetch(url, { allowList: "" })).rejects.toMatchObject({
        code: "blocked-destination",
        status: 400,
      });
    },
  );

  it("refuses a hostname that resolves to loopback", async () => {
    const port = (server.address() as AddressInfo).port;
    const before = requests.length;
    await expect(safeFetch(`http://localhost:${port}/ok`, { allowList: "" })).rejects.toBeInstanceOf(
      BlockedDestinationError,
    );
    expect(requests.length).toBe(before);
  });

  it("refuses a host when any of its addresses is private", async () => {
    const resolve = async () => [
      { address: "93.184.216.34", family: 4 as const },
      { address: "10.0.0.7", family: 4 as const },
    ];
    await expect(safeFetch("http://mixed.example/", { allowList: "", resolve })).rejects.toThrow(
      /mixed\.example resolves to 10\.0\.0\.7/,
    );
  });

  it("refuses a redirect from an allowed server to the metadata address", async () => {
    await expect(safeFetch(`${origin}/to-metadata`, { allowList: ALLOW_LOCAL })).rejects.toMatchObject({
      code: "blocked-destination",
      url: "http://169.254.169.254/latest/meta-data/",
    });
  });

  it("refuses a redirect to a file: URL", async () => {
    await expect(safeFetch(`${origin}/to-file`, { allowList: ALLOW_LOCAL })).rejects.toBeInstanceOf(
      BlockedDestinationError,
    );
  });

  it("reads the allow-list from ORATIO_FETCH_ALLOW when none is passed", async () => {
    const saved = process.env.ORATIO_FETCH_ALLOW;
    try {
      process.env.ORATIO_FETCH_ALLOW = "";
      await expect(safeFetch(`${origin}/ok`)).rejects.toBeInstanceOf(BlockedDestinationError);
      process.env.ORATIO_FETCH_ALLOW = "192.0.2.1, 127.0.0.0/8";
      expect((await safeFetch(`${origin}/ok`)).text()).toBe("hello");
    } finally {
      if (saved === undefined) delete process.env.ORATIO_FETCH_ALLOW;
      else process.env.ORATIO_FETCH_ALLOW = saved;
    }
  });
});

describe("safeFetch with an allow-list", () => {
  it("fetches an allow-listed local server", async () => {
    const response = await safeFetch(`${origin}/ok`, { allowList: ALLOW_LOCAL });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.text()).toBe("hello");
  });

  it("allows a hostname by name", async () => {
    const port = (server.address() as AddressInfo).port;
    const response = await safeFetch(`http://localhost:${port}/ok`, {
      allowList: "localhost",
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(response.text()).toBe("hello");
  });

  it("connects to the validated address, not to a second DNS answer", async () => {
    // The name does not exist in real DNS: the connection can only succeed through the pin.
    const port = (server.address() as AddressInfo).port;
    const response = await safeFetch(`http://pinned.invalid:${port}/ok`, {
      allowList: ALLOW_LOCAL,
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(response.text()).toBe("hello");
  });

  it("follows redirects and records them", async () => {
    const response = await safeFetch(`${origin}/to-ok`, { allowList: ALLOW_LOCAL });
    expect(response.url).toBe(`${origin}/ok`);
    expect(response.redirects).toEqual([`${origin}/to-ok`]);
  });

  it("turns a POST into a GET on 303", async () => {
    const response = await safeFetch(`${origin}/post-303`, {
      allowList: ALLOW_LOCAL,
      method: "POST",
      body: "{}",
      headers: { authorization: "Bearer same-origin" },
    });
    expect(response.json()).toEqual({ method: "GET", auth: "Bearer same-origin" });
  });

  it("stops a redirect loop", async () => {
    await expect(
      safeFetch(`${origin}/loop`, { allowList: ALLOW_LOCAL, maxRedirects: 3 }),
    ).rejects.toBeInstanceOf(TooManyRedirectsError);
  });

  it("returns the redirect itself when redirects are off", async () => {
    const response = await safeFetch(`${origin}/to-metadata`, { allowList: ALLOW_LOCAL, maxRedirects: 0 });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
  });
});

describe("safeFetch limits", () => {
  it("stops a body over the size cap (declared length)", async () => {
    await expect(
      safeFetch(`${origin}/big`, { allowList: ALLOW_LOCAL, maxBytes: 1000 }),
    ).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("stops a streamed body over the size cap", async () => {
    await expect(
      safeFetch(`${origin}/big-chunked`, { allowList: ALLOW_LOCAL, maxBytes: 3000 }),
    ).rejects.toMatchObject({ code: "response-too-large", status: 413 });
  });

  it("accepts a body exactly at the cap", async () => {
    const response = await safeFetch(`${origin}/big`, { allowList: ALLOW_LOCAL, maxBytes: 4096 });
    expect(response.body.byteLength).toBe(4096);
  });

  it("gives up on a server that never answers", async () => {
    const error = await safeFetch(`${origin}/slow`, { allowList: ALLOW_LOCAL, timeoutMs: 200 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(FetchTimeoutError);
    expect(error.retryable).toBe(true);
  });

  it("rethrows the caller's abort reason", async () => {
    const controller = new AbortController();
    const pending = safeFetch(`${origin}/slow`, { allowList: ALLOW_LOCAL, signal: controller.signal });
    controller.abort(new Error("caller stopped"));
    await expect(pending).rejects.toThrow("caller stopped");
  });

  it("reports a refused connection as a retryable network error", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await expect(safeFetch(`http://127.0.0.1:${port}/`, { allowList: ALLOW_LOCAL })).rejects.toMatchObject({
      code: "network-error",
      retryable: true,
    });
  });
});
