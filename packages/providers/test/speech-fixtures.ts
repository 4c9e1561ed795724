import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalServer, type ServedRequest, startRecordingServer } from "./http-fixture.ts";

/** A request as a speech vendor's server saw it, body kept as bytes (audio travels in it). */
export type RawRequest = ServedRequest<Buffer>;

/** A local HTTP server standing in for a speech vendor; each test writes the vendor's answers. */
export function startRawServer(
  handle: (request: RawRequest, response: ServerResponse, incoming: IncomingMessage) => void | Promise<void>,
): Promise<LocalServer<Buffer>> {
  return startRecordingServer((bytes) => bytes, handle);
}

/** Splits a multipart/form-data body into its named parts. */
export function parseMultipart(
  request: RawRequest,
): Map<string, { filename?: string; type?: string; data: Buffer }> {
  const boundary = /boundary=(.+)$/.exec(String(request.headers["content-type"]))?.[1];
  if (!boundary) throw new Error("not multipart");
  const parts = new Map<string, { filename?: string; type?: string; data: Buffer }>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = request.body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (request.body.subarray(start, start + 2).toString() === "--") break;
    const next = request.body.indexOf(delimiter, start);
    const part = request.body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString();
    const name = /name="([^"]+)"/.exec(head)?.[1] ?? "";
    parts.set(name, {
      filename: /filename="([^"]+)"/.exec(head)?.[1],
      type: /Content-Type: (.+)/i.exec(head)?.[1]?.trim(),
      data: part.subarray(split + 4),
    });
    at = next;
  }
  return parts;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const modelsDir = process.env.ORATIO_MODELS_DIR ?? path.resolve(repoRoot, "../shared/models");

/**
 * Real speech for the fakes to return: jfk.wav's samples (16 kHz mono PCM16) when the model
 * store has it, else a spoken-length sweep so the tests still run.
 */
export function speechSamples(): Int16Array {
  try {
    const wav = readFileSync(path.join(modelsDir, "whisper/jfk.wav"));
    const data = wav.indexOf("data") + 8;
    return new Int16Array(
      wav.buffer.slice(wav.byteOffset + data, wav.byteOffset + wav.length - ((wav.length - data) % 2)),
    );
  } catch {
    const out = new Int16Array(16000 * 2);
    for (let i = 0; i < out.length; i++)
      out[i] = Math.round(8000 * Math.sin((2 * Math.PI * (200 + i / 100) * i) / 16000));
    return out;
  }
}

export function bytesOf(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

export function samplesOf(bytes: Buffer): Int16Array {
  const copy = Buffer.from(bytes);
  return new Int16Array(copy.buffer, copy.byteOffset, copy.byteLength / 2);
}
