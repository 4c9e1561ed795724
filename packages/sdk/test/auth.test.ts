import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, memoryTokenStore, type RefreshLock } from "../src/index.ts";
import { clientFor, createTestApp, signedUpClient, spoil, type TestApp, uniqueEmail } from "./helpers.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

describe("auth", () => {
  it("signs up, keeps the tokens and reads the user with them", async () => {
    const { client, result, email } = await signedUpClient(testApp, "signup");
    expect(result.organization.role).toBe("owner");
    expect(client.auth.isSignedIn()).toBe(true);
    expect(client.tokenStore.get()?.accessToken).toBe(result.accessToken);

    const me = await client.me.get();
    expect(me.user.email).toBe(email);
    expect(me.organizations.map((o) => o.name)).toEqual(["signup Dental"]);
    expect(me.currentOrganizationId).toBe(result.organization.id);
  });

  it("signs in with the same credentials", async () => {
    const { email } = await signedUpClient(testApp, "login");
    const { client } = clientFor(testApp);
    const result = await client.auth.login({ email, password: "correct horse battery staple" });
    expect(result.organizations).toHaveLength(1);
    expect((await client.me.get()).user.email).toBe(email);
  });

  it("throws ApiError with the problem document and its field errors", async () => {
    const { client } = clientFor(testApp);
    const error = await client.auth
      .signup({ email: "not-an-email", password: "short", name: "X", organizationName: "Y" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("validation-error");
    expect(apiError.fieldErrors.map((f) => f.path).sort()).toEqual(["body.email", "body.password"]);
    expect(client.auth.isSignedIn()).toBe(false);
  });

  it("reports wrong credentials as a 401 in words", async () => {
    const { email } = await signedUpClient(testApp, "wrong");
    const { client } = clientFor(testApp);
    const error = (await client.auth
      .login({ email, password: "not the password" })
      .catch((e) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(error.message).toBe("The email or password is incorrect.");
  });

  it("needs a signed-in user for /me", async () => {
    const { client } = clientFor(testApp);
    await expect(client.me.get()).rejects.toMatchObject({ status: 401 });
  });

  it("refreshes a refused access token once for many concurrent requests, then retries them", async () => {
    const { client, recorder, result } = await signedUpClient(testApp, "refresh");
    const spoiled = spoil(result.accessToken);
    client.tokenStore.set({ accessToken: spoiled, refreshToken: result.refreshToken });

    const [me, orgs, members] = await Promise.all([
      client.me.get(),
      client.organizations.list(),
      client.members.list(),
    ]);
    expect(me.user.id).toBe(result.user.id);
    expect(orgs).toHaveLength(1);
    expect(members).toHaveLength(1);
    expect(recorder.count("POST /api/v1/auth/refresh")).toBe(1);

    const renewed = client.tokenStore.get();
    expect(renewed?.refreshToken).not.toBe(result.refreshToken);
    expect(renewed?.accessToken).not.toBe(spoiled);
  });

  it("refreshes once between clients that share a token store and a lock (browser tabs)", async () => {
    const { result } = await signedUpClient(testApp, "tabs");
    const shared = memoryTokenStore({
      accessToken: spoil(result.accessToken),
      refreshToken: result.refreshToken,
    });
    let tail: Promise<unknown> = Promise.resolve();
    const lock: RefreshLock = (task) => {
      const run = tail.then(task);
      tail = run.catch(() => undefined);
      return run;
    };
    const tabA = clientFor(testApp, { tokenStore: shared, refreshLock: lock });
    const tabB = clientFor(testApp, { tokenStore: shared, refreshLock: lock });

    const [a, b] = await Promise.all([tabA.client.me.get(), tabB.client.me.get()]);
    expect(a.user.id).toBe(result.user.id);
    expect(b.user.id).toBe(result.user.id);
    const refreshes =
      tabA.recorder.count("POST /api/v1/auth/refresh") + tabB.recorder.count("POST /api/v1/auth/refresh");
    expect(refreshes).toBe(1);
    // The family is intact: the rotated refresh token still works.
    expect(shared.get()).not.toBeNull();
    await expect(tabA.client.organizations.list()).resolves.toHaveLength(1);
  });

  it("ends the session when the refresh token no longer works", async () => {
    const { client, result } = await signedUpClient(testApp, "expired");
    // Another holder of the same refresh token uses it first: reuse revokes the family.
    const { client: other } = clientFor(testApp, {
      tokenStore: memoryTokenStore({ accessToken: "x.y.z", refreshToken: result.refreshToken }),
    });
    await other.me.get();

    const changes: Array<unknown> = [];
    client.tokenStore.subscribe((tokens) => changes.push(tokens));
    client.tokenStore.set({ accessToken: spoil(result.accessToken), refreshToken: result.refreshToken });
    await expect(client.me.get()).rejects.toMatchObject({ status: 401 });
    expect(client.auth.isSignedIn()).toBe(false);
    expect(changes.at(-1)).toBeNull();
  });

  it("logs out: forgets the tokens and revokes the refresh token", async () => {
    const { client, result } = await signedUpClient(testApp, "logout");
    await client.auth.logout();
    expect(client.auth.isSignedIn()).toBe(false);

    const { client: replay } = clientFor(testApp, {
      tokenStore: memoryTokenStore({
        accessToken: spoil(result.accessToken),
        refreshToken: result.refreshToken,
      }),
    });
    await expect(replay.me.get()).rejects.toMatchObject({ status: 401 });
  });

  it("honours an AbortSignal", async () => {
    const { client } = clientFor(testApp);
    const controller = new AbortController();
    controller.abort();
    await expect(
      client.auth.login(
        { email: uniqueEmail("abort"), password: "whatever-password" },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});
