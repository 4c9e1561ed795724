import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, pageHeading, renderApp, signedUpClient, uniqueEmail } from "./render-app.tsx";

/** A booking endpoint of the business's own, as a tool would call it. */
let endpoint: Server;
let base: string;
const received: { method: string; url: string; body: unknown }[] = [];

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : null;
}

beforeAll(async () => {
  endpoint = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({ method: request.method ?? "", url: request.url ?? "", body });
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ slots: ["09:00", "13:30"], party: (body as { party?: number })?.party }));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

const SCHEMA = JSON.stringify({
  type: "object",
  properties: { date: { type: "string", format: "date" }, party: { type: "integer", minimum: 1 } },
  required: ["date"],
});

/** Replaces a text box's content (user-event's typing reads braces as key names). */
const setText = (element: HTMLElement, value: string) => fireEvent.change(element, { target: { value } });

describe("tools", () => {
  it("adds an HTTP tool, tests it with sample arguments, edits it, and adds and deletes an MCP server", async () => {
    const { client } = await signedUpClient("tools", "Tool Clinic");
    const { user } = renderApp(client, "/tools");
    await pageHeading("Tools");
    expect(await screen.findByText("No custom tools yet")).toBeTruthy();
    expect(screen.getByText("search_knowledge")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Add tool" }));
    const dialog = await screen.findByRole("dialog", { name: "Add tool" });
    await user.type(within(dialog).getByLabelText("Name"), "check_availability");
    await user.type(within(dialog).getByLabelText("Description"), "Free appointment slots on a date.");
    setText(within(dialog).getByLabelText("URL"), `${base}/slots/{date}`);
    setText(within(dialog).getByLabelText("Parameters (JSON Schema)"), "{ not json");
    await user.click(within(dialog).getByRole("button", { name: "Add tool" }));
    expect((await within(dialog).findByRole("alert")).textContent).toMatch(/^Parameters is not valid JSON/);
    setText(within(dialog).getByLabelText("Parameters (JSON Schema)"), SCHEMA);
    setText(within(dialog).getByLabelText("Headers (optional)"), "X-Clinic: downtown");
    await user.type(within(dialog).getByLabelText("Secret (optional)"), "whsec-not-shown-again");
    await user.click(within(dialog).getByRole("button", { name: "Add tool" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    const table = await screen.findByRole("table", { name: "Custom tools" });
    const row = within(table).getByText("check_availability").closest("tr")!;
    expect(within(row).getByText("HTTP")).toBeTruthy();
    expect(within(row).getByText("Stored")).toBeTruthy();
    const [saved] = await client.tools.list();
    expect(saved).toMatchObject({
      name: "check_availability",
      kind: "http",
      method: "POST",
      headers: { "X-Clinic": "downtown" },
      hasSecret: true,
    });
    expect(JSON.stringify(saved)).not.toContain("whsec-not-shown-again");

    // Test: the arguments start from the schema and the endpoint is really called.
    await user.click(within(row).getByRole("button", { name: "Test check_availability" }));
    const test = await screen.findByRole("dialog", { name: "Test check_availability" });
    const args = within(test).getByLabelText("Sample arguments (JSON)") as HTMLTextAreaElement;
    expect(JSON.parse(args.value)).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), party: 1 });
    setText(args, JSON.stringify({ date: "2026-03-14", party: 3 }));
    await user.click(within(test).getByRole("button", { name: "Run test" }));
    const result = await within(test).findByRole("region", { name: "Test result" });
    expect(result.textContent).toContain("It worked");
    expect(result.textContent).toContain("HTTP 200");
    expect(result.textContent).toContain('"party": 3');
    expect(received.at(-1)).toEqual({ method: "POST", url: "/slots/2026-03-14", body: { party: 3 } });

    // Arguments the schema refuses never leave; the page names the field.
    const calls = received.length;
    setText(args, JSON.stringify({ party: "three" }));
    await user.click(within(test).getByRole("button", { name: "Run test" }));
    expect((await within(test).findByRole("alert")).textContent).toMatch(/check these fields/i);
    expect(received.length).toBe(calls);
    await user.click(within(test).getByRole("button", { name: "Close" }));

    await user.click(within(row).getByRole("button", { name: "Edit check_availability" }));
    const edit = await screen.findByRole("dialog", { name: "Edit check_availability" });
    expect(within(edit).queryByLabelText("Type")).toBeNull();
    await user.clear(within(edit).getByLabelText("Description"));
    await user.type(within(edit).getByLabelText("Description"), "Open slots for a date and party size.");
    await user.click(within(edit).getByLabelText("Remove the stored secret"));
    await user.click(within(edit).getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const edited = await client.tools.get(saved!.id);
    expect(edited).toMatchObject({ description: "Open slots for a date and party size.", hasSecret: false });
    expect(await within(row).findByText("None")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Add tool" }));
    const mcp = await screen.findByRole("dialog", { name: "Add tool" });
    await user.selectOptions(within(mcp).getByLabelText("Type"), "mcp");
    expect(within(mcp).queryByLabelText("Parameters (JSON Schema)")).toBeNull();
    await user.type(within(mcp).getByLabelText("Name"), "crm");
    await user.type(within(mcp).getByLabelText("Description"), "The practice's patient records.");
    setText(within(mcp).getByLabelText("URL"), `${base}/mcp`);
    await user.type(within(mcp).getByLabelText("Allowed tools (optional)"), "lookup_patient, next_visit");
    await user.click(within(mcp).getByRole("button", { name: "Add tool" }));
    const crmRow = (await within(table).findByText("crm")).closest("tr")!;
    expect(within(crmRow).getByText("MCP")).toBeTruthy();
    expect((await client.tools.list()).find((t) => t.name === "crm")).toMatchObject({
      kind: "mcp",
      allowedTools: ["lookup_patient", "next_visit"],
    });

    await user.click(within(crmRow).getByRole("button", { name: "Delete crm" }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(within(table).queryByText("crm")).toBeNull());
    expect((await client.tools.list()).map((t) => t.name)).toEqual(["check_availability"]);
  });

  it("shows a viewer the tools but no way to change or call them", async () => {
    const { client: owner } = await signedUpClient("tools-owner", "Viewer Tool Clinic");
    await owner.tools.create({
      kind: "http",
      name: "send_reminder",
      description: "Texts a reminder.",
      url: `${base}/reminders`,
    });
    const email = uniqueEmail("tools-viewer");
    const invitation = await owner.invitations.create({ email, role: "viewer" });
    const viewer = clientFor();
    await viewer.auth.signup({
      email,
      password: "viewer password 1",
      name: "Vera Viewer",
      invitationToken: invitation.token,
    });
    renderApp(viewer, "/tools");
    await pageHeading("Tools");
    const table = await screen.findByRole("table", { name: "Custom tools" });
    expect(within(table).getByText("send_reminder")).toBeTruthy();
    expect(screen.getByText(/owners and admins add, change and test them/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add tool" })).toBeNull();
    expect(within(table).queryAllByRole("button")).toEqual([]);
  });
});
