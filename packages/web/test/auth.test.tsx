import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { clientFor, pageHeading, renderApp, signedUpClient, uniqueEmail } from "./render-app.tsx";

describe("signing up, in and out", () => {
  it("signs up with labelled fields and lands in the app shell", async () => {
    const client = clientFor();
    const { user } = renderApp(client, "/sign-up");
    await pageHeading("Create your account");

    await user.type(screen.getByLabelText("Name"), "Grace Hopper");
    await user.type(screen.getByLabelText("Email"), uniqueEmail("grace"));
    await user.type(screen.getByLabelText("Password"), "a long enough password");
    await user.type(screen.getByLabelText("Organization"), "Hopper Clinic");
    await user.click(screen.getByRole("button", { name: "Sign up" }));

    // A new account lands on the overview; the members page lists the new owner.
    await pageHeading("Overview");
    await user.click(
      within(screen.getAllByRole("navigation", { name: "Main" })[0]!).getByRole("link", { name: "Members" }),
    );
    await pageHeading("Members");
    const table = await screen.findByRole("table", { name: "Members of Hopper Clinic" });
    expect(within(table).getByText("Grace Hopper")).toBeTruthy();
    const nav = screen.getAllByRole("navigation", { name: "Main" })[0]!;
    expect(
      within(nav)
        .getAllByRole("link")
        .map((l) => l.textContent),
    ).toEqual([
      "Overview",
      "Agents",
      "Knowledge",
      "Tools",
      "Sessions",
      "Notifications",
      "Model providers",
      "Phone numbers",
      "Members",
      "API keys",
      "Organization settings",
    ]);
    expect(client.auth.isSignedIn()).toBe(true);
  });

  it("explains invalid fields in words, naming the field by its label", async () => {
    const { user } = renderApp(clientFor(), "/sign-up");
    await pageHeading("Create your account");
    await user.type(screen.getByLabelText("Name"), "Short Password");
    await user.type(screen.getByLabelText("Email"), uniqueEmail("short"));
    await user.type(screen.getByLabelText("Password"), "short");
    await user.type(screen.getByLabelText("Organization"), "Somewhere");
    await user.click(screen.getByRole("button", { name: "Sign up" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Please check these fields. Password: must be at least 8 characters.");
  });

  it("says when the email or password is wrong, and signs in with the right ones", async () => {
    const { email } = await signedUpClient("signin");
    const client = clientFor();
    const { user } = renderApp(client, "/sign-in");
    await pageHeading("Sign in to Oratio");

    await user.type(screen.getByLabelText("Email"), email);
    await user.type(screen.getByLabelText("Password"), "wrong password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The email or password is incorrect.");

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await pageHeading("Overview");
  });

  it("sends a signed-out visitor to sign in, and signs out from the account menu", async () => {
    const signedOut = renderApp(clientFor(), "/api-keys");
    await pageHeading("Sign in to Oratio");
    signedOut.unmount();

    const { client, result } = await signedUpClient("signout");
    const { user } = renderApp(client, "/members");
    await pageHeading("Members");
    await user.click(screen.getByRole("button", { name: `Account: ${result.user.name}` }));
    await user.click(await screen.findByRole("menuitem", { name: "Sign out" }));
    await pageHeading("Sign in to Oratio");
    await waitFor(() => expect(client.auth.isSignedIn()).toBe(false));
  });
});
