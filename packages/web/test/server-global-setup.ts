import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createTestApp } from "@oratio/server/testing";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
  }
}

/**
 * One real Oratio server for the component tests, listening on a free port. The pages run
 * in happy-dom, whose globals (URL among them) the server code cannot run under, so the
 * server lives here in plain Node and the pages reach it over HTTP, as a browser would.
 */
export default async function setup(project: TestProject) {
  const testApp = await createTestApp();
  const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  project.provide("apiUrl", `http://127.0.0.1:${port}`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await testApp.close();
  };
}
