import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import type { PcmChunk } from "@oratio/core/speech";
import { createTestApp } from "@oratio/server/testing";
import { createFliteTextToSpeech, resample } from "@oratio/speech";
import type { TestProject } from "vitest/node";
import { injectWebSockets } from "../../server/src/voice/websockets.ts";
import { ScriptedBuilderModels } from "../../server/test/scripted-models.ts";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    /** A caller's question as raw PCM16 at 16 kHz, for tests that place recorded calls. */
    callerSpeechFile: string;
  }
}

/**
 * Speaks a caller's question with the bundled flite voice. Done here because the speech
 * engine's worker cannot start under happy-dom; the tests read the samples from the file.
 */
async function writeCallerSpeech(text: string): Promise<string> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: Int16Array[] = [];
  let rate = 16000;
  for await (const chunk of tts.synthesize(text) as AsyncIterable<PcmChunk>) {
    parts.push(chunk.samples);
    rate = chunk.sampleRate;
  }
  await tts.close();
  const joined = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  const samples = rate === 16000 ? joined : resample(joined, rate, 16000);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "oratio-web-test-")), "caller.pcm");
  writeFileSync(file, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  return file;
}

/**
 * One real Oratio server for the component tests, listening on a free port. The pages run
 * in happy-dom, whose globals (URL among them) the server code cannot run under, so the
 * server lives here in plain Node and the pages reach it over HTTP, as a browser would.
 */
export default async function setup(project: TestProject) {
  // The agent builder answers from the prompt's own input (no model needed offline), and
  // tools may call endpoints the tests start on this machine.
  const testApp = await createTestApp(
    { ORATIO_FETCH_ALLOW: "127.0.0.1" },
    { models: new ScriptedBuilderModels() },
  );
  const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await once(server, "listening");
  // Voice calls (recorded sessions) arrive over WebSockets.
  injectWebSockets(testApp.app, server);
  const { port } = server.address() as AddressInfo;
  project.provide("apiUrl", `http://127.0.0.1:${port}`);
  project.provide("callerSpeechFile", await writeCallerSpeech("What time do you open on Saturday?"));
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await testApp.close();
  };
}
