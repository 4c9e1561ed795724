import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

describe("agents", () => {
  it("shows the empty list, creates an agent with a knowledge base and a handoff, and draws the handoff graph", async () => {
    const { client } = await signedUpClient("agents", "Agent Clinic");
    const kb = await client.knowledgeBases.create({ name: "Front desk SOP" });
    const billing = await client.agents.create({
      name: "Billing",
      instructions: "Answer billing questions.",
      model: { providerId: "local", model: "billing-model" },
    });
    const { user } = renderApp(client, "/agents/new/scratch");
    await pageHeading("Create agent from scratch");
    await user.type(screen.getByLabelText("Name"), "Reception");
    await user.type(screen.getByLabelText("Instructions"), "# Role{enter}Greet **everyone**.");
    await user.click(screen.getByRole("button", { name: "Preview instructions" }));
    const preview = screen.getByRole("region", { name: "Instructions preview" });
    expect(within(preview).getByRole("heading", { name: "Role" })).toBeTruthy();
    expect(within(preview).getByText("everyone").tagName).toBe("STRONG");
    await user.type(screen.getByLabelText("Model name"), "desk-model");
    await user.click(await screen.findByLabelText(/Front desk SOP/));
    await user.click(await screen.findByLabelText("Hand off to Billing"));
    await user.selectOptions(screen.getByLabelText("Context for Billing"), "full");
    await user.click(screen.getByRole("button", { name: "Create agent" }));

    await pageHeading("Reception");
    const created = (await client.agents.list()).find((a) => a.name === "Reception");
    expect(created?.config).toMatchObject({
      instructions: "# Role\nGreet **everyone**.",
      model: { providerId: "local", model: "desk-model" },
      knowledgeBaseIds: [kb.id],
      handoffs: [{ agentId: billing.id, context: "full" }],
    });
    expect(screen.getByRole("tab", { name: "Playground", selected: true })).toBeTruthy();
    expect(screen.getByText("Send a message to start a conversation.")).toBeTruthy();

    await user.click(screen.getByRole("link", { name: "All agents" }));
    await pageHeading("Agents");
    const cards = await screen.findByRole("list", { name: "Agents" });
    expect(
      within(cards)
        .getAllByRole("heading")
        .map((h) => h.textContent),
    ).toEqual(expect.arrayContaining(["Reception", "Billing"]));
    const graph = screen.getByRole("img", { name: /Handoff graph/ });
    expect(graph.getAttribute("aria-label")).toContain("Reception hands off to Billing");
  });

  it("saves configuration as a new version, shows the diff and rolls back", async () => {
    const { client } = await signedUpClient("versions", "Version Clinic");
    const agent = await client.agents.create({
      name: "Desk",
      instructions: "Be brief.",
      model: { providerId: "local", model: "m" },
    });
    const { user } = renderApp(client, `/agents/${agent.id}?tab=configuration`);
    await pageHeading("Desk");
    const turns = await screen.findByLabelText("Maximum turns");
    await user.clear(turns);
    await user.type(turns, "12");
    await user.type(screen.getByLabelText("Keywords that ask for a person"), "manager, human");
    await user.click(screen.getByRole("button", { name: "Save and publish" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved as v2 and published.");
    const saved = await client.agents.get(agent.id);
    expect(saved).toMatchObject({ latestVersion: 2, publishedVersion: 2 });
    expect(saved.config.limits?.maxTurns).toBe(12);
    expect(saved.config.humanHandoff?.keywords).toEqual(["manager", "human"]);

    await user.click(screen.getByRole("tab", { name: "Versions" }));
    const diff = await screen.findByRole("table", { name: "Changes from v1 to v2" });
    await waitFor(() => expect(within(diff).getByText("limits.maxTurns")).toBeTruthy());
    await user.click(screen.getByRole("button", { name: "Roll back to v1" }));
    await waitFor(async () => expect((await client.agents.get(agent.id)).publishedVersion).toBe(1));
    expect(await screen.findByRole("button", { name: "Publish v2" })).toBeTruthy();
  });

  it("shows an error state for an unknown agent", async () => {
    const { client } = await signedUpClient("missing-agent");
    renderApp(client, "/agents/00000000-0000-4000-8000-000000000000");
    await pageHeading("Agent");
    expect(await screen.findByRole("alert")).toBeTruthy();
  });
});
