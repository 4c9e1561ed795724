import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { signedUpClient } from "../../../../test/render-app.tsx";
import { ApiProvider } from "../../../lib/api.tsx";
import { VoiceCallPanel } from "./voice-call-panel.tsx";

// happy-dom has neither Web Audio nor a microphone: the panel must say so in words and
// leave no session behind. The call itself runs in Chromium (e2e/voice-call.e2e.test.ts).
it("explains that this browser cannot make voice calls, and creates no session", async () => {
  const { client } = await signedUpClient("voice-panel");
  const agent = await client.agents.create({
    name: "Front Desk",
    instructions: "Answer questions about opening hours.",
    model: { providerId: "local", model: "voice-panel-model" },
  });
  const user = userEvent.setup();
  render(
    <ApiProvider client={client}>
      <VoiceCallPanel agent={agent} />
    </ApiProvider>,
  );
  expect(screen.getByRole("heading", { name: "Voice call" })).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Start voice call" }));
  expect((await screen.findByRole("alert")).textContent).toMatch(/^This browser cannot make voice calls/);
  expect(screen.getByRole("button", { name: "Start voice call" })).toBeTruthy();
  expect(screen.queryByRole("button", { name: "End call" })).toBeNull();
  expect((await client.sessions.list({ agentId: agent.id })).data).toEqual([]);
});
