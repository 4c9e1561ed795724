import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { clientFor, pageHeading, renderApp, signedUpClient, uniqueEmail } from "./render-app.tsx";

describe("members", () => {
  it("invites with a role, shows the link once and lists the pending invitation", async () => {
    const { client } = await signedUpClient("inviter", "Inviting Clinic");
    const { user } = renderApp(client, "/members");
    await pageHeading("Members");
    expect(await screen.findByText("No pending invitations")).toBeTruthy();

    const invitee = uniqueEmail("invitee");
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invite member" });
    await user.type(within(dialog).getByLabelText("Email"), invitee);
    await user.selectOptions(within(dialog).getByLabelText("Role"), "viewer");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    const link = (await screen.findByLabelText("Invitation link")) as HTMLInputElement;
    expect(link.value).toMatch(/\/invitations\/accept\?token=.+/);
    expect(screen.getByRole("button", { name: "Copy link" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Done" }));

    const pending = await screen.findByRole("list", { name: "Pending invitations" });
    expect(within(pending).getByText(invitee)).toBeTruthy();
    expect(within(pending).getByText(/viewer/)).toBeTruthy();
    const [invitation] = await client.invitations.list();
    expect(invitation).toMatchObject({ email: invitee, role: "viewer" });
  });

  it("lets a viewer accept an invitation, see the members, but change nothing", async () => {
    const { client: owner, result } = await signedUpClient("owner", "Viewing Clinic");
    const email = uniqueEmail("viewer");
    const invitation = await owner.invitations.create({ email, role: "viewer" });

    const client = clientFor();
    const { user } = renderApp(client, `/invitations/accept?token=${invitation.token}`);
    await pageHeading("Join Viewing Clinic");
    await user.click(screen.getByRole("link", { name: "Sign up to join" }));
    await pageHeading("Create your account");
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe(email);
    expect(screen.queryByLabelText("Organization")).toBeNull();
    await user.type(screen.getByLabelText("Name"), "Vera Viewer");
    await user.type(screen.getByLabelText("Password"), "viewer password 1");
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    await pageHeading("Overview");
    await user.click(
      within(screen.getAllByRole("navigation", { name: "Main" })[0]!).getByRole("link", { name: "Members" }),
    );
    await pageHeading("Members");
    const table = await screen.findByRole("table", { name: "Members of Viewing Clinic" });
    expect(within(table).getByText(result.user.name)).toBeTruthy();
    expect(within(table).getByText("Vera Viewer")).toBeTruthy();
    expect(within(table).queryByRole("combobox")).toBeNull();
    expect(within(table).queryByRole("button", { name: /Remove/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Invite member" })).toBeNull();
    const nav = screen.getAllByRole("navigation", { name: "Main" })[0]!;
    expect(within(nav).queryByRole("link", { name: "API keys" })).toBeNull();
  });

  it("changes a member's role and removes a member after confirmation", async () => {
    const { client: owner } = await signedUpClient("manager", "Managing Clinic");
    const email = uniqueEmail("staff");
    const invitation = await owner.invitations.create({ email, role: "member" });
    const staff = await clientFor().auth.signup({
      email,
      password: "staff password 1",
      name: "Sam Staff",
      invitationToken: invitation.token,
    });

    const { user } = renderApp(owner, "/members");
    const roleSelect = await screen.findByLabelText("Role of Sam Staff");
    await user.selectOptions(roleSelect, "admin");
    await waitFor(async () => {
      const members = await owner.members.list();
      expect(members.find((m) => m.userId === staff.user.id)?.role).toBe("admin");
    });

    await user.click(screen.getByRole("button", { name: "Remove Sam Staff" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Remove Sam Staff?" });
    await user.click(within(confirm).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(screen.queryByText("Sam Staff")).toBeNull());
    expect((await owner.members.list()).map((m) => m.email)).not.toContain(email);
  });

  it("falls back to the user's own organization when the remembered one is not theirs", async () => {
    const { client } = await signedUpClient("returning", "Own Clinic");
    const { result: stranger } = await signedUpClient("stranger", "Someone Else's Clinic");
    client.setOrganization(stranger.organization.id);
    renderApp(client, "/members");
    await screen.findByRole("table", { name: "Members of Own Clinic" });
    await pageHeading("Members");
    expect(client.organizationId).toBeNull();
  });
});
