import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

describe("overview", () => {
  it("is the home page and says when there is nothing to chart yet", async () => {
    const { client } = await signedUpClient("overview", "Quiet Clinic");
    renderApp(client, "/");
    await pageHeading("Overview");
    expect(await screen.findByText("No sessions in this period")).toBeTruthy();
    expect(screen.getByText("No voice calls yet.")).toBeTruthy();
    expect(screen.getByText("No agent has answered yet.")).toBeTruthy();
  });
});

describe("model providers", () => {
  it("adds a provider without ever showing its key, and deletes it", async () => {
    const { client } = await signedUpClient("providers", "Provider Clinic");
    const { user } = renderApp(client, "/settings/providers");
    await pageHeading("Model providers");
    expect(await screen.findByText("No providers yet")).toBeTruthy();
    await user.type(screen.getByLabelText("Name"), "Anthropic main");
    await user.selectOptions(screen.getByLabelText("Type"), "anthropic");
    await user.type(screen.getByLabelText("API key"), "sk-ant-secret");
    await user.click(screen.getByRole("button", { name: "Add provider" }));
    const list = await screen.findByRole("list", { name: "Providers" });
    expect(within(list).getByText("Anthropic main")).toBeTruthy();
    expect(within(list).getByText(/key set/)).toBeTruthy();
    expect(document.body.textContent).not.toContain("sk-ant-secret");
    expect((screen.getByLabelText("API key") as HTMLInputElement).value).toBe("");

    await user.click(within(list).getByRole("button", { name: "Delete Anthropic main" }));
    const confirm = await screen.findByRole("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No providers yet")).toBeTruthy();
    expect(await client.providers.list()).toEqual([]);
  });
});

describe("notifications", () => {
  it("shows an empty notification center and a bell with no unread items", async () => {
    const { client } = await signedUpClient("notifications", "Calm Clinic");
    renderApp(client, "/notifications");
    await pageHeading("Notifications");
    expect(await screen.findByText("No notifications")).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Notifications, 0 unread" })).toBeTruthy();
  });
});
