import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";

describe("phone numbers", () => {
  it("routes a Twilio number to an agent without showing its token, refuses a malformed number, and deletes", async () => {
    const { client } = await signedUpClient("phones", "Phone Clinic");
    await client.agents.create({
      name: "Phone desk",
      instructions: "Answer the phone politely.",
      model: { providerId: "local", model: "phone-model" },
    });
    const { user } = renderApp(client, "/settings/phone-numbers");
    await pageHeading("Phone numbers");
    expect(await screen.findByText("No phone numbers yet")).toBeTruthy();
    expect(screen.getByText(/\/api\/v1\/telephony\/twilio\/voice$/)).toBeTruthy();
    await screen.findByRole("option", { name: "Phone desk" });

    await user.type(screen.getByLabelText("Phone number"), "555-1234");
    await user.type(screen.getByLabelText("Twilio auth token"), "twilio-secret-token");
    await user.click(screen.getByRole("button", { name: "Add phone number" }));
    expect(await screen.findByText(/E\.164/, { selector: "[role=alert] *, [role=alert]" })).toBeTruthy();

    await user.clear(screen.getByLabelText("Phone number"));
    await user.type(screen.getByLabelText("Phone number"), "+15551234567");
    await user.click(screen.getByRole("button", { name: "Add phone number" }));
    const list = await screen.findByRole("list", { name: "Phone numbers" });
    expect(within(list).getByText("+15551234567")).toBeTruthy();
    expect(within(list).getByText(/Answered by Phone desk/)).toBeTruthy();
    expect(document.body.textContent).not.toContain("twilio-secret-token");
    expect((screen.getByLabelText("Twilio auth token") as HTMLInputElement).value).toBe("");
    expect((await client.phoneNumbers.list()).map((n) => n.number)).toEqual(["+15551234567"]);

    await user.click(within(list).getByRole("button", { name: "Delete +15551234567" }));
    const confirm = await screen.findByRole("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No phone numbers yet")).toBeTruthy();
    expect(await client.phoneNumbers.list()).toEqual([]);
  });
});
