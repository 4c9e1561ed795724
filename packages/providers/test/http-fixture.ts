import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the local server saw it; `Body` is text or bytes, as the test needs. */
export interface ServedRequest<Body> {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Body;
}

export type RecordedRequest = ServedRequest<string>;

export interface LocalServer<Body> {
  url: string;
  requests: ServedRequest<Body>[];
  close: () => Promise<void>;
}

/**
 * A local HTTP server standing in for a vendor: it records each request (body read whole and
 * turned into `Body` by `toBody`) and lets the test write the vendor's answer.
 */
export async function startRecordingServer<Body>(
  toBody: (bytes: Buffer) => Body,
  handle: (
    request: ServedRequest<Body>,
    response: ServerResponse,
    incoming: IncomingMessage,
  ) => void | Promise<void>,
): Promise<LocalServer<Body>> {
  const requests: ServedRequest<Body>[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: toBody(Buffer.concat(chunks)),
    };
    requests.push(recorded);
    try {
      await handle(recorded, res, req);
    } catch (error) {
      res.destroy(error as Error);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A local HTTP server for wire-protocol tests, request bodies as text. */
export function startServer(
  handle: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<LocalServer<string>> {
  return startRecordingServer((bytes) => bytes.toString("utf8"), handle);
}

/** Writes server-sent events the way the vendors do: `data:` lines, optionally named events. */
export function sse(
  response: ServerResponse,
  events: Array<{ event?: string; data: unknown }>,
  done = false,
): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events) {
    if (e.event) response.write(`event: ${e.event}\n`);
    response.write(`data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`);
  }
  if (done) response.write("data: [DONE]\n\n");
  response.end();
}
