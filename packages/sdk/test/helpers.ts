import { createTestApp, type TestApp } from "@oratio/server/testing";
import { createClient, type OratioClient } from "../src/index.ts";

export const BASE_URL = "http://oratio.test";

/** Counts the requests a client sends, by method and path. */
export interface Recorder {
  calls: string[];
  count(methodAndPath: string): number;
}

/** A client whose fetch is the in-process app, recording each request's method and path. */
export function clientFor(
  testApp: TestApp,
  options: Partial<Parameters<typeof createClient>[0]> = {},
): { client: OratioClient; recorder: Recorder } {
  const calls: string[] = [];
  const client = createClient({
    baseUrl: BASE_URL,
    fetch: async (request) => {
      calls.push(`${request.method} ${new URL(request.url).pathname}`);
      return testApp.app.fetch(request);
    },
    ...options,
  });
  return { client, recorder: { calls, count: (key) => calls.filter((c) => c === key).length } };
}

let counter = 0;
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@example.com`;
}

export async function signedUpClient(testApp: TestApp, label = "owner") {
  const { client, recorder } = clientFor(testApp);
  const email = uniqueEmail(label);
  const result = await client.auth.signup({
    email,
    password: "correct horse battery staple",
    name: `Test ${label}`,
    organizationName: `${label} Dental`,
  });
  return { client, recorder, email, result };
}

/** Changes the access token's signature so the server refuses it, as it would an expired one. */
export function spoil(token: string): string {
  const last = token.at(-2) === "A" ? "B" : "A";
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

export { createTestApp, type TestApp };
