import { expect } from "vitest";
import type { TestApp } from "../src/testing.ts";

export interface SignedUp {
  userId: string;
  orgId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

let counter = 0;

/** Signs up a fresh user with their own organization. */
export async function signUp(
  t: TestApp,
  overrides: Partial<{ email: string; organizationName: string }> = {},
) {
  counter += 1;
  const email = overrides.email ?? `user${counter}-${Date.now()}@example.com`;
  const password = `pw-${counter}-long-enough`;
  const res = await t.request("POST", "/api/v1/auth/signup", {
    json: {
      email,
      password,
      name: `User ${counter}`,
      organizationName: overrides.organizationName ?? `Org ${counter}`,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as {
    user: { id: string };
    organization: { id: string };
    accessToken: string;
    refreshToken: string;
  };
  return {
    userId: body.user.id,
    orgId: body.organization.id,
    email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
  } satisfies SignedUp;
}

export async function createApiKey(t: TestApp, token: string, scopes?: string[]) {
  const res = await t.request("POST", "/api/v1/api-keys", { token, json: { name: "test key", scopes } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string; scopes: string[] };
}

export async function expectProblem(
  res: Pick<Response, "status" | "headers" | "text">,
  status: number,
  fieldPath?: string,
) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const problem = JSON.parse(text) as {
    status: number;
    title: string;
    detail: string;
    errors?: { path: string }[];
  };
  expect(problem.status).toBe(status);
  expect(problem.detail.length).toBeGreaterThan(0);
  if (fieldPath) expect(problem.errors?.map((e) => e.path)).toContain(fieldPath);
  return problem;
}

/** Invites a new person into `owner`'s organization with `role` and signs them up. */
export async function joinAs(t: TestApp, owner: SignedUp, role: "viewer" | "member" | "admin") {
  counter += 1;
  const email = `${role}${counter}-${Date.now()}@example.com`;
  const invited = await t.request("POST", "/api/v1/invitations", {
    token: owner.accessToken,
    json: { email, role },
  });
  expect(invited.status, await invited.clone().text()).toBe(201);
  const { token } = (await invited.json()) as { token: string };
  const res = await t.request("POST", "/api/v1/auth/signup", {
    json: { email, password: `pw-${counter}-long-enough`, name: role, invitationToken: token },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { accessToken: string; user: { id: string } };
  return { accessToken: body.accessToken, userId: body.user.id };
}
