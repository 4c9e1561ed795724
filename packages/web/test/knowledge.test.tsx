import { readFileSync } from "node:fs";
import path from "node:path";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, "../../../fixtures/business", name));

describe("knowledge", () => {
  it("creates a base, uploads a document with progress, refuses an unsupported file, and searches", async () => {
    const { client } = await signedUpClient("knowledge", "Knowledge Clinic");
    const { user } = renderApp(client, "/knowledge");
    await pageHeading("Knowledge");
    expect(await screen.findByText("No knowledge bases yet")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Create knowledge base" }));
    const dialog = await screen.findByRole("dialog", { name: "Create knowledge base" });
    await user.type(within(dialog).getByLabelText("Name"), "Policies");
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    await user.click(await screen.findByRole("link", { name: "Policies" }));
    await pageHeading("Policies");
    expect(await screen.findByText("No documents yet")).toBeTruthy();

    const sop = new File([fixture("sop.md")], "sop.md", { type: "text/markdown" });
    const binary = new File([new Uint8Array([0, 1, 2, 3])], "photo.exe", {
      type: "application/octet-stream",
    });
    // Sent as a drop would be, past the picker's file-type filter, so the server's refusal shows.
    fireEvent.change(screen.getByLabelText(/Upload documents/), { target: { files: [sop, binary] } });
    const rejected = await screen.findByText(/photo\.exe:/);
    expect(rejected).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Documents" });
    await waitFor(() => expect(within(table).getByText("ready")).toBeTruthy(), { timeout: 20_000 });
    // The job's progress stream is checked in the browser test (happy-dom's fetch drops short streams).

    await user.type(screen.getByLabelText("Search this knowledge base"), "escalate to a manager");
    await user.click(screen.getByRole("button", { name: "Search" }));
    const results = await screen.findByRole("list", { name: "Search results" });
    expect(within(results).getAllByRole("listitem").length).toBeGreaterThan(0);
    expect(results.querySelector("mark")).not.toBeNull();
  });
});
