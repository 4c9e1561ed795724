import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { expectProblem, signUp } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("sign-up, login, refresh, logout", () => {
  it("signs up a user with an organization they own", async () => {
    const res = await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "Ada@Example.com",
        password: "analytical-engine",
        name: "Ada",
        organizationName: "Lovelace Dental",
      },
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.user.email).toBe("ada@example.com");
    expect(body.organization).toMatchObject({ name: "Lovelace Dental", role: "owner" });
    expect(body.accessToken).toMatch(/^ey/);
    expect(body.refreshToken).toMatch(/^ort_/);
    expect(JSON.stringify(body)).not.toContain("analytical-engine");

    const me = await t.request("GET", "/api/v1/me", { token: body.accessToken });
    expect(me.status).toBe(200);
    const meBody = await me.json();
    expect(meBody.user.id).toBe(body.user.id);
    expect(meBody.organizations).toEqual([
      expect.objectContaining({ id: body.organization.id, role: "owner" }),
    ]);
    expect(meBody.currentOrganizationId).toBe(body.organization.id);
  });

  it("refuses a second account with the same email, in any letter case", async () => {
    const a = await signUp(t);
    const res = await t.request("POST", "/api/v1/auth/signup", {
      json: { email: a.email.toUpperCase(), password: "another-password", name: "B", organizationName: "X" },
    });
    await expectProblem(res, 409);
  });

  it("logs in with the right password only, without telling which part was wrong", async () => {
    const a = await signUp(t);
    const ok = await t.request("POST", "/api/v1/auth/login", {
      json: { email: a.email, password: a.password },
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).organizations).toHaveLength(1);
    const wrong = await expectProblem(
      await t.request("POST", "/api/v1/auth/login", { json: { email: a.email, password: "wrong-password" } }),
      401,
    );
    const unknown = await expectProblem(
      await t.request("POST", "/api/v1/auth/login", {
        json: { email: "nobody@example.com", password: "whatever1" },
      }),
      401,
    );
    expect(wrong.detail).toBe(unknown.detail);
  });

  it("rotates refresh tokens and revokes the family when a used one comes back", async () => {
    const a = await signUp(t);
    const first = await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } });
    expect(first.status).toBe(200);
    const rotated = await first.json();
    expect(rotated.refreshToken).not.toBe(a.refreshToken);
    const me = await t.request("GET", "/api/v1/me", { token: rotated.accessToken });
    expect(me.status).toBe(200);

    // The original token is replayed (e.g. stolen): refused, and the whole family dies.
    await expectProblem(
      await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } }),
      401,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken: rotated.refreshToken } }),
      401,
    );

    // Another login is a separate family and still works.
    const login = await t.request("POST", "/api/v1/auth/login", {
      json: { email: a.email, password: a.password },
    });
    const again = await t.request("POST", "/api/v1/auth/refresh", {
      json: { refreshToken: (await login.json()).refreshToken },
    });
    expect(again.status).toBe(200);
  });

  it("logout revokes the refresh token", async () => {
    const a = await signUp(t);
    const out = await t.request("POST", "/api/v1/auth/logout", { json: { refreshToken: a.refreshToken } });
    expect(out.status).toBe(204);
    await expectProblem(
      await t.request("POST", "/api/v1/auth/refresh", { json: { refreshToken: a.refreshToken } }),
      401,
    );
  });

  it("rejects missing, malformed and forged access tokens with 401", async () => {
    await expectProblem(await t.request("GET", "/api/v1/me"), 401);
    await expectProblem(
      await t.request("GET", "/api/v1/me", { headers: { authorization: "Basic abc" } }),
      401,
    );
    await expectProblem(await t.request("GET", "/api/v1/me", { token: "not-a-token" }), 401);
    const a = await signUp(t);
    const [h, p] = a.accessToken.split(".");
    await expectProblem(await t.request("GET", "/api/v1/me", { token: `${h}.${p}.forgedsignature` }), 401);
  });

  it("selects the organization with X-Organization-Id and refuses foreign ones", async () => {
    const a = await signUp(t);
    const created = await t.request("POST", "/api/v1/organizations", {
      token: a.accessToken,
      json: { name: "Second" },
    });
    expect(created.status).toBe(201);
    const second = await created.json();
    const current = await t.request("GET", "/api/v1/organization", {
      token: a.accessToken,
      headers: { "x-organization-id": second.id },
    });
    expect((await current.json()).name).toBe("Second");
    const b = await signUp(t);
    await expectProblem(
      await t.request("GET", "/api/v1/organization", {
        token: a.accessToken,
        headers: { "x-organization-id": b.orgId },
      }),
      403,
    );
  });
});

describe("invitations and roles", () => {
  it("invites a new person who signs up into the organization", async () => {
    const owner = await signUp(t);
    const inv = await t.request("POST", "/api/v1/invitations", {
      token: owner.accessToken,
      json: { email: "new.hire@example.com", role: "member" },
    });
    expect(inv.status).toBe(201);
    const { token, id } = await inv.json();
    expect(token).toMatch(/^inv_/);
    const listed = await (await t.request("GET", "/api/v1/invitations", { token: owner.accessToken })).json();
    expect(listed.data.map((i: { id: string }) => i.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain(token);

    const lookup = await t.request("POST", "/api/v1/invitations/lookup", { json: { token } });
    expect(await lookup.json()).toMatchObject({ email: "new.hire@example.com", role: "member" });

    const signup = await t.request("POST", "/api/v1/auth/signup", {
      json: {
        email: "new.hire@example.com",
        password: "welcome-aboard",
        name: "New Hire",
        invitationToken: token,
      },
    });
    expect(signup.status).toBe(201);
    const joined = await signup.json();
    expect(joined.organization).toMatchObject({ id: owner.orgId, role: "member" });

    // The token worked once.
    await expectProblem(await t.request("POST", "/api/v1/invitations/lookup", { json: { token } }), 404);
    const members = await (await t.request("GET", "/api/v1/members", { token: owner.accessToken })).json();
    expect(members.data.map((m: { email: string }) => m.email)).toContain("new.hire@example.com");
  });

  it("lets an existing user accept by logging in, only for the invited email", async () => {
    const owner = await signUp(t);
    const invitee = await signUp(t);
    const other = await signUp(t);
    const { token } = await (
      await t.request("POST", "/api/v1/invitations", {
        token: owner.accessToken,
        json: { email: invitee.email, role: "viewer" },
      })
    ).json();
    await expectProblem(
      await t.request("POST", "/api/v1/invitations/accept", { token: other.accessToken, json: { token } }),
      403,
    );
    const login = await t.request("POST", "/api/v1/auth/login", {
      json: { email: invitee.email, password: invitee.password, invitationToken: token },
    });
    expect(login.status).toBe(200);
    const orgs = (await login.json()).organizations;
    expect(orgs).toContainEqual(expect.objectContaining({ id: owner.orgId, role: "viewer" }));
  });

  it("enforces roles: viewers read, members cannot manage, admins cannot touch owners", async () => {
    const owner = await signUp(t);
    const join = async (role: string) => {
      const email = `${role}-${Date.now()}-${Math.random()}@example.com`;
      const { token } = await (
        await t.request("POST", "/api/v1/invitations", { token: owner.accessToken, json: { email, role } })
      ).json();
      const res = await t.request("POST", "/api/v1/auth/signup", {
        json: { email, password: "password-123", name: role, invitationToken: token },
      });
      const body = await res.json();
      return { token: body.accessToken as string, userId: body.user.id as string };
    };
    const viewer = await join("viewer");
    const member = await join("member");
    const admin = await join("admin");

    expect((await t.request("GET", "/api/v1/members", { token: viewer.token })).status).toBe(200);
    await expectProblem(
      await t.request("PATCH", "/api/v1/organization", { token: viewer.token, json: { name: "x" } }),
      403,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/api-keys", { token: member.token, json: { name: "k" } }),
      403,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/invitations", { token: member.token, json: { email: "a@b.co" } }),
      403,
    );
    await expectProblem(
      await t.request("PATCH", `/api/v1/members/${owner.userId}`, {
        token: admin.token,
        json: { role: "member" },
      }),
      403,
    );
    await expectProblem(
      await t.request("POST", "/api/v1/invitations", {
        token: admin.token,
        json: { email: "o@b.co", role: "owner" },
      }),
      403,
    );

    const promoted = await t.request("PATCH", `/api/v1/members/${viewer.userId}`, {
      token: admin.token,
      json: { role: "member" },
    });
    expect((await promoted.json()).role).toBe("member");
    // Role changes apply to the very next request.
    expect((await t.request("GET", "/api/v1/organization", { token: viewer.token })).status).toBe(200);

    // Members may leave; they may not remove others.
    await expectProblem(
      await t.request("DELETE", `/api/v1/members/${admin.userId}`, { token: member.token }),
      403,
    );
    expect(
      (await t.request("DELETE", `/api/v1/members/${member.userId}`, { token: member.token })).status,
    ).toBe(204);
    expect(
      (await t.request("DELETE", `/api/v1/members/${viewer.userId}`, { token: admin.token })).status,
    ).toBe(204);
    await expectProblem(await t.request("GET", "/api/v1/organization", { token: member.token }), 403);
  });

  it("never leaves an organization without an owner", async () => {
    const owner = await signUp(t);
    await expectProblem(
      await t.request("PATCH", `/api/v1/members/${owner.userId}`, {
        token: owner.accessToken,
        json: { role: "admin" },
      }),
      409,
    );
    await expectProblem(
      await t.request("DELETE", `/api/v1/members/${owner.userId}`, { token: owner.accessToken }),
      409,
    );
  });

  it("revokes an invitation", async () => {
    const owner = await signUp(t);
    const { id, token } = await (
      await t.request("POST", "/api/v1/invitations", {
        token: owner.accessToken,
        json: { email: "late@example.com" },
      })
    ).json();
    expect(
      (await t.request("DELETE", `/api/v1/invitations/${id}`, { token: owner.accessToken })).status,
    ).toBe(204);
    await expectProblem(await t.request("POST", "/api/v1/invitations/lookup", { json: { token } }), 404);
  });
});
