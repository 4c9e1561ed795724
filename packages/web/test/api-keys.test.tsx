import { createClient } from "@oratio/sdk";
import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, inject, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

describe("API keys", () => {
  it("creates a key shown once, lists it without the secret, and revokes it after confirmation", async () => {
    const { client } = await signedUpClient("keys", "Key Clinic");
    const { user } = renderApp(client, "/api-keys");
    await pageHeading("API keys");
    expect(await screen.findByText("No API keys yet")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog", { name: "Create API key" });
    await user.type(within(dialog).getByLabelText("Name"), "Website widget");
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    const secret = (await screen.findByLabelText("Secret key for “Website widget”")) as HTMLInputElement;
    expect(secret.value).toMatch(/^ora_/);
    expect(screen.getByText(/shown only once/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByDisplayValue(secret.value)).toBeNull();

    const table = await screen.findByRole("table", { name: "Active API keys" });
    expect(within(table).getByText("Website widget")).toBeTruthy();
    expect(within(table).getByText("Full access")).toBeTruthy();
    expect(within(table).getByText("Never")).toBeTruthy();
    expect(table.textContent).not.toContain(secret.value);

    const withKey = createClient({ baseUrl: inject("apiUrl"), apiKey: secret.value });
    expect((await withKey.organizations.current()).name).toBe("Key Clinic");

    await user.click(within(table).getByRole("button", { name: "Revoke Website widget" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Revoke “Website widget”?" });
    await user.click(within(confirm).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("No API keys yet")).toBeTruthy();
    await expect(withKey.organizations.current()).rejects.toMatchObject({ status: 401 });
  });
});

describe("organization settings", () => {
  it("renames the organization and shows the new name in the switcher", async () => {
    const { client } = await signedUpClient("rename", "Old Name Clinic");
    const { user } = renderApp(client, "/settings/organization");
    await pageHeading("Organization settings");
    const field = await screen.findByLabelText("Organization name");
    await user.clear(field);
    await user.type(field, "New Name Clinic");
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect((await screen.findByRole("status")).textContent).toContain("New Name Clinic");
    await waitFor(() =>
      expect(screen.getAllByRole("button", { name: /Organization: New Name Clinic/ }).length).toBeGreaterThan(
        0,
      ),
    );
    expect((await client.organizations.current()).name).toBe("New Name Clinic");
  });
});
