import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A file the test server offers, with optional faults to exercise the downloader. */
export interface ServedFile {
  /** URL path, e.g. `/models/tiny.gguf`. */
  path: string;
  body: Uint8Array;
  /** Drop the connection after this many bytes, on the first request for the file only. */
  cutAfter?: number;
  /** Send this many bytes and then nothing more, holding the connection open. */
  stallAfter?: number;
  /** Answer Range requests with the whole file (200), like hosts without range support. */
  ignoreRange?: boolean;
  /** Pause between 64 KiB chunks, for a transfer slow enough to report progress along the way. */
  chunkDelayMs?: number;
}

export interface ModelFileServer {
  url: string;
  /** Every request: path and the Range header it carried. */
  requests: { path: string; range: string | undefined }[];
  close(): Promise<void>;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const CHUNK = 64 * 1024;

/**
 * A real HTTP file host on 127.0.0.1 for model-store tests (these machines have no
 * internet): Content-Length, ETag, byte ranges, and the faults listed on `ServedFile`.
 */
export async function serveModelFiles(files: ServedFile[]): Promise<ModelFileServer> {
  const requests: ModelFileServer["requests"] = [];
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    requests.push({ path, range: req.headers.range });
    const file = files.find((f) => f.path === path);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const count = (served.get(path) ?? 0) + 1;
    served.set(path, count);
    const etag = `"${sha256Of(file.body).slice(0, 16)}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const ifRange = req.headers["if-range"];
    let start = 0;
    if (range && !file.ignoreRange && (!ifRange || ifRange === etag)) {
      start = Number(range[1]);
      res.writeHead(206, {
        "content-type": "application/octet-stream",
        "content-length": String(file.body.length - start),
        "content-range": `bytes ${start}-${file.body.length - 1}/${file.body.length}`,
        etag,
      });
    } else {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(file.body.length),
        "accept-ranges": file.ignoreRange ? "none" : "bytes",
        etag,
      });
    }
    const cut = count === 1 && file.cutAfter !== undefined;
    void send(res, file.body, start, cut ? file.cutAfter : file.stallAfter, cut, file.chunkDelayMs ?? 0);
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

/** Writes in chunks, yielding between them, so clients see progress more than once. */
async function send(
  res: ServerResponse,
  body: Uint8Array,
  start: number,
  stopAt: number | undefined,
  cut: boolean,
  delayMs: number,
): Promise<void> {
  for (let offset = start; offset < body.length; offset += CHUNK) {
    if (res.destroyed) return;
    const end = Math.min(body.length, offset + CHUNK, stopAt ?? body.length);
    if (end > offset) res.write(body.subarray(offset, end));
    if (stopAt !== undefined && end >= stopAt) {
      if (cut) setTimeout(() => res.destroy(), 20); // after the bytes are flushed
      return; // a stall: the connection stays open with nothing more to come
    }
    await new Promise((resolve) => (delayMs > 0 ? setTimeout(resolve, delayMs) : setImmediate(resolve)));
  }
  res.end();
}
