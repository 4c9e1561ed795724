import { readFileSync } from "node:fs";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, inject, it } from "vitest";
import { entryAt } from "../src/features/sessions/recording-sync.ts";
import { pageHeading, renderApp, signedUpClient } from "./render-app.tsx";
import { HAVE_POCKETSPHINX, placeCall, type VoiceEvent } from "./voice-call.ts";

if (!HAVE_POCKETSPHINX) {
  console.warn(
    "Skipping the recorded-call test: pocketsphinx missing (apt-get install pocketsphinx pocketsphinx-en-us).",
  );
}

/** The caller's question has been heard and the agent is listening again. */
const heardAndAnswered = (events: VoiceEvent[]) => {
  const heard = events.findIndex((e) => e.type === "transcript" && e.role === "user" && e.final);
  return heard >= 0 && events.slice(heard).some((e) => e.type === "agent-state" && e.state === "listening");
};

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

  it("finds the entry being heard at a point of a recording", () => {
    const entry = (seq: number, audioOffsetMs: number | null) => ({
      seq,
      kind: "message",
      role: "user",
      agent: null,
      text: "",
      turnId: null,
      audioOffsetMs,
      createdAt: "2026-01-01T00:00:00Z",
    });
    const entries = [entry(1, 800), entry(2, null), entry(3, 4200), entry(4, 4200), entry(5, 9000)];
    expect(entryAt(entries, 0)).toBeNull();
    expect(entryAt(entries, 800)).toBe(1);
    expect(entryAt(entries, 4199)).toBe(1);
    expect(entryAt(entries, 5000)).toBe(4);
    expect(entryAt(entries, 60_000)).toBe(5);
  });

  it.skipIf(!HAVE_POCKETSPHINX)(
    "plays a voice call's recording in step with its transcript; clicking an entry moves the player there",
    async () => {
      const { client } = await signedUpClient("recording", "Recording Clinic");
      const agent = await client.agents.create(
        {
          name: "Phone Desk",
          instructions: "Answer callers.",
          greeting: "Thank you for calling Harborview Dental.",
          model: { providerId: "local", model: "phone-desk" },
        },
        { publish: true },
      );
      const session = await client.sessions.create({ agentId: agent.id, channel: "voice" });
      const samples = readFileSync(inject("callerSpeechFile"));
      await placeCall({
        url: `${inject("apiUrl").replace(/^http/, "ws")}/api/v1/sessions/${session.id}/voice?access_token=${client.tokenStore.get()?.accessToken}`,
        caller: new Int16Array(samples.buffer, samples.byteOffset, samples.byteLength / 2),
        until: heardAndAnswered,
      });
      await waitFor(async () => expect((await client.sessions.get(session.id)).status).toBe("ended"));
      const stored = (await client.sessions.get(session.id)).transcript.filter(
        (e) => e.audioOffsetMs !== null,
      );
      const [greeting, question] = stored;
      expect(greeting).toMatchObject({ role: "assistant", text: "Thank you for calling Harborview Dental." });
      expect(question).toMatchObject({ role: "user" });

      const { user } = renderApp(client, `/sessions/${session.id}`);
      await pageHeading("Session with phone-desk");
      const audio = (await screen.findByLabelText("Call recording")) as HTMLAudioElement;
      expect(audio.src).toMatch(/^blob:/);
      expect(screen.getByRole("link", { name: "Download recording" }).getAttribute("download")).toBe(
        `session-${session.id}.wav`,
      );
      const transcript = screen.getByRole("list", { name: "Transcript" });
      const items = () => within(transcript).getAllByRole("listitem");
      const current = () => items().filter((li) => li.getAttribute("aria-current") === "true");
      // Nothing is highlighted until the recording is played or moved.
      expect(current()).toEqual([]);

      const seconds = (ms: number) =>
        `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;
      const seekButtons = within(transcript).getAllByRole("button", { name: /^Play from / });
      expect(seekButtons.length).toBe(stored.length);
      await user.click(
        within(transcript)
          .getAllByRole("button", { name: `Play from ${seconds(question!.audioOffsetMs!)}` })
          .at(-1)!,
      );
      expect(audio.currentTime).toBeCloseTo(question!.audioOffsetMs! / 1000);
      await waitFor(() =>
        expect(current().map((li) => li.textContent)).toEqual([expect.stringContaining(question!.text!)]),
      );

      // As it plays, the highlight follows the audio.
      audio.currentTime = greeting!.audioOffsetMs! / 1000 + 0.2;
      fireEvent.timeUpdate(audio);
      await waitFor(() =>
        expect(current().map((li) => li.textContent)).toEqual([expect.stringContaining(greeting!.text!)]),
      );
    },
    120_000,
  );
});
