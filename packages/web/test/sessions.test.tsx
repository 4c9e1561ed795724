import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

describe("sessions", () => {
  it("lists sessions live, filters them, opens one, takes over, writes as operator and hands back", async () => {
    const { client } = await signedUpClient("sessions", "Session Clinic");
    const agent = await client.agents.create({
      name: "Desk",
      instructions: "Help.",
      greeting: "Hello from the desk!",
      model: { providerId: "local", model: "m" },
    });
    const { user } = renderApp(client, "/sessions");
    await pageHeading("Sessions");
    expect(await screen.findByText("No sessions match")).toBeTruthy();
    await screen.findByText("Live: new conversations appear as they start.");

    // Started elsewhere: the live event stream brings it in without a reload.
    await client.sessions.create({ agentId: agent.id, channel: "api" });
    const table = await screen.findByRole("table", { name: "Sessions" }, { timeout: 15_000 });
    expect(within(table).getByText("Desk")).toBeTruthy();

    await user.selectOptions(screen.getByLabelText("Channel"), "voice");
    expect(await screen.findByText("No sessions match")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Channel"), "api");
    await user.click(await screen.findByRole("link", { name: /Open session started/ }));

    await pageHeading("Session with desk");
    const transcript = await screen.findByRole("list", { name: "Transcript" });
    expect(within(transcript).getByText("Hello from the desk!")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Take over" }));
    const box = (await screen.findByLabelText("Message the customer as an operator")) as HTMLTextAreaElement;
    await waitFor(() => expect(box.disabled).toBe(false));
    await user.type(box, "A person is here.");
    await user.click(screen.getByRole("button", { name: "Send as operator" }));
    await waitFor(() => expect(within(transcript).getByText("A person is here.")).toBeTruthy());
    expect(within(transcript).getByText("An operator took over the conversation")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Hand back to agent" }));
    expect(await screen.findByRole("button", { name: "Take over" })).toBeTruthy();
    const [session] = (await client.sessions.list()).data;
    expect(session?.status).toBe("active");
    expect(screen.getByRole("button", { name: "Export JSON" })).toBeTruthy();
  });
});
