import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createClient } from "../src/index.ts";
import { BASE_URL, clientFor, createTestApp, signedUpClient, type TestApp, uniqueEmail } from "./helpers.ts";

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

describe("organizations", () => {
  it("renames the current organization and selects another with setOrganization", async () => {
    const { client, result } = await signedUpClient(testApp, "orgs");
    const renamed = await client.organizations.updateCurrent({ name: "Renamed Clinic" });
    expect(renamed).toMatchObject({ id: result.organization.id, name: "Renamed Clinic", role: "owner" });

    const second = await client.organizations.create({ name: "Second Clinic" });
    expect((await client.organizations.list()).map((o) => o.name).sort()).toEqual([
      "Renamed Clinic",
      "Second Clinic",
    ]);

    expect((await client.organizations.current()).id).toBe(result.organization.id);
    client.setOrganization(second.id);
    expect(client.organizationId).toBe(second.id);
    expect((await client.organizations.current()).name).toBe("Second Clinic");
    expect((await client.me.get()).currentOrganizationId).toBe(second.id);
  });

  it("refuses an organization the user does not belong to", async () => {
    const { client } = await signedUpClient(testApp, "stranger");
    const { result: other } = await signedUpClient(testApp, "other");
    client.setOrganization(other.organization.id);
    await expect(client.organizations.current()).rejects.toMatchObject({ status: 403 });
  });
});

describe("members and invitations", () => {
  it("invites, joins by invitation, changes the role and removes the member", async () => {
    const { client: owner, result } = await signedUpClient(testApp, "team");
    const inviteeEmail = uniqueEmail("invitee");
    const invitation = await owner.invitations.create({ email: inviteeEmail, role: "viewer" });
    expect(invitation.token).toBeTruthy();
    expect((await owner.invitations.list()).map((i) => i.email)).toEqual([inviteeEmail]);

    const { client: invitee } = clientFor(testApp);
    const preview = await invitee.invitations.lookup(invitation.token);
    expect(preview).toMatchObject({ organizationName: "team Dental", email: inviteeEmail, role: "viewer" });

    const joined = await invitee.auth.signup({
      email: inviteeEmail,
      password: "another good password",
      name: "Invited Person",
      invitationToken: invitation.token,
    });
    expect(joined.organization).toMatchObject({ id: result.organization.id, role: "viewer" });
    expect(await owner.invitations.list()).toEqual([]);

    // A viewer can see the members but not change them.
    const seenByViewer = await invitee.members.list();
    expect(seenByViewer.map((m) => m.email).sort()).toEqual([result.user.email, inviteeEmail].sort());
    const refused = (await invitee.members
      .update(result.user.id, { role: "viewer" })
      .catch((e) => e)) as ApiError;
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused.status).toBe(403);

    const promoted = await owner.members.update(joined.user.id, { role: "admin" });
    expect(promoted.role).toBe("admin");
    await owner.members.remove(joined.user.id);
    expect((await owner.members.list()).map((m) => m.userId)).toEqual([result.user.id]);
  });

  it("revokes an invitation so it can no longer be looked up", async () => {
    const { client: owner } = await signedUpClient(testApp, "revoke-invite");
    const invitation = await owner.invitations.create({ email: uniqueEmail("nobody") });
    expect(invitation.role).toBe("member");
    await owner.invitations.revoke(invitation.id);
    const { client: anonymous } = clientFor(testApp);
    await expect(anonymous.invitations.lookup(invitation.token)).rejects.toMatchObject({ status: 404 });
  });

  it("lets a signed-in user accept an invitation to a second organization", async () => {
    const { client: owner, result } = await signedUpClient(testApp, "accept-owner");
    const { client: joiner, email } = await signedUpClient(testApp, "accept-joiner");
    const invitation = await owner.invitations.create({ email, role: "member" });
    const joined = await joiner.invitations.accept(invitation.token);
    expect(joined).toMatchObject({ id: result.organization.id, role: "member" });
    expect((await joiner.organizations.list()).length).toBe(2);
  });
});

describe("API keys", () => {
  it("creates a key shown once, authenticates with it, lists it and revokes it", async () => {
    const { client: owner, result } = await signedUpClient(testApp, "keys");
    const created = await owner.apiKeys.create({ name: "Website widget", scopes: ["organization:read"] });
    expect(created.key.startsWith(created.prefix)).toBe(true);

    const listed = await owner.apiKeys.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: created.id,
      name: "Website widget",
      scopes: ["organization:read"],
    });
    expect(listed[0]).not.toHaveProperty("key");

    const withKey = createClient({
      baseUrl: BASE_URL,
      fetch: (r) => testApp.app.fetch(r),
      apiKey: created.key,
    });
    expect((await withKey.organizations.current()).id).toBe(result.organization.id);
    // Keys cannot manage keys, whatever their scopes.
    await expect(withKey.apiKeys.list()).rejects.toMatchObject({ status: 403 });

    await owner.apiKeys.revoke(created.id);
    expect(await owner.apiKeys.list()).toEqual([]);
    const afterRevoke = (await withKey.organizations.current().catch((e) => e)) as ApiError;
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.message).toMatch(/revoked/);
  });
});
