import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { PcmChunk } from "@oratio/core/speech";
import { createFliteTextToSpeech, POCKETSPHINX_INSTALL, pcm16ToMulaw, resample } from "@oratio/speech";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestApp, type TestApp } from "../src/testing.ts";
import { injectWebSockets } from "../src/voice/websockets.ts";
import { type SignedUp, signUp } from "./helpers.ts";
import { ScriptedModels } from "./scripted-models.ts";

const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx)
  console.warn(`Skipping the Twilio call test: pocketsphinx missing (${POCKETSPHINX_INSTALL}).`);

const AUTH_TOKEN = "twilio-auth-token-0123456789abcdef";
const NUMBER = "+15550001111";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApp;
let server: Server;
let port: number;
let a: SignedUp;
const models = new ScriptedModels();

beforeAll(async () => {
  t = await createTestApp({}, { models });
  a = await signUp(t);
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  injectWebSockets(t.app, server);
  port = (server.address() as AddressInfo).port;
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
});

async function api(method: string, url: string, body?: unknown, token = a.accessToken) {
  const res = await t.request(method, url, { token, json: body });
  if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

async function speech(text: string): Promise<Uint8Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const parts: PcmChunk[] = [];
  for await (const chunk of tts.synthesize(text)) parts.push(chunk);
  await tts.close();
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
  let offset = 0;
  for (const p of parts) {
    pcm.set(p.samples, offset);
    offset += p.samples.length;
  }
  return pcm16ToMulaw(resample(pcm, 16000, 8000));
}

function webhook(params: Record<string, string>, signature: string) {
  return t.app.request(`http://127.0.0.1:${port}/api/v1/telephony/twilio/voice`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body: new URLSearchParams(params).toString(),
  });
}

describe("Twilio phone calls", () => {
  let agentId: string;

  it("manages phone numbers (admin only, token never returned, isolated per organization)", async () => {
    const agent = await api("POST", "/api/v1/agents", {
      name: "Phone desk",
      instructions: "Answer the phone.",
      greeting: "Thanks for calling.",
      model: { providerId: "local", model: "phone-model" },
    });
    agentId = agent.id;
    const created = await api("POST", "/api/v1/phone-numbers", {
      number: NUMBER,
      agentId,
      twilioAuthToken: AUTH_TOKEN,
    });
    expect(created).toMatchObject({ number: NUMBER, agentId, provider: "twilio" });
    expect(JSON.stringify(created)).not.toContain(AUTH_TOKEN);
    const list = await api("GET", "/api/v1/phone-numbers");
    expect(JSON.stringify(list)).not.toContain(AUTH_TOKEN);
    expect(list.data.map((n: { id: string }) => n.id)).toEqual([created.id]);
    const again = await t.request("POST", "/api/v1/phone-numbers", {
      token: a.accessToken,
      json: { number: NUMBER, agentId, twilioAuthToken: AUTH_TOKEN },
    });
    expect(again.status).toBe(409);
    const b = await signUp(t);
    const foreign = await t.request("DELETE", `/api/v1/phone-numbers/${created.id}`, {
      token: b.accessToken,
    });
    expect(foreign.status).toBe(404);
    const theirs = await api("GET", "/api/v1/phone-numbers", undefined, b.accessToken);
    expect(theirs.data).toEqual([]);
  });

  it("refuses a webhook with a bad signature", async () => {
    const params = { To: NUMBER, From: "+15557654321", CallSid: "CA123" };
    const res = await webhook(params, getExpectedTwilioSignature("wrong-token", "http://x/", params));
    expect(res.status).toBe(403);
    const unsigned = await webhook(params, "");
    expect(unsigned.status).toBe(403);
  });

  it.skipIf(!hasPocketsphinx)(
    "answers a call: TwiML with a stream token, media both ways, clear on barge-in, transcript kept",
    async () => {
      const params = { To: NUMBER, From: "+15557654321", CallSid: "CA42", AccountSid: "AC1" };
      const url = `http://127.0.0.1:${port}/api/v1/telephony/twilio/voice`;
      const res = await webhook(params, getExpectedTwilioSignature(AUTH_TOKEN, url, params));
      expect(res.status).toBe(200);
      const twiml = await res.text();
      expect(twiml).toContain(`<Stream url="wss://127.0.0.1:${port}/api/v1/telephony/twilio/stream">`);
      const parameter = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(twiml)?.[1];
      const sessionId = parameter("sessionId")!;
      const custom = { sessionId, orgId: parameter("orgId")!, token: parameter("token")! };

      // A forged token gets the socket closed without a call.
      const forged = new WebSocket(`ws://127.0.0.1:${port}/api/v1/telephony/twilio/stream`);
      await new Promise((resolve) => forged.once("open", resolve));
      const start = (params: Record<string, string>) =>
        JSON.stringify({
          event: "start",
          sequenceNumber: "1",
          streamSid: "MZ1",
          start: {
            accountSid: "AC1",
            callSid: "CA42",
            streamSid: "MZ1",
            tracks: ["inbound"],
            customParameters: params,
            mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
          },
        });
      forged.send(start({ ...custom, token: `${Date.now() + 60_000}.forged` }));
      expect(await new Promise((resolve) => forged.once("close", resolve))).toBe(1008);

      models.model("phone-model").push({
        text: "We are open from nine in the morning until five in the evening every weekday, and on Saturday mornings too.",
      });
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/telephony/twilio/stream`);
      await new Promise((resolve) => socket.once("open", resolve));
      // biome-ignore lint/suspicious/noExplicitAny: Twilio messages are inspected ad hoc
      const received: any[] = [];
      let sequence = 2;
      let chunk = 0;
      socket.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString());
        received.push(message);
        // Twilio echoes a mark once the audio before it has played.
        if (message.event === "mark")
          socket.send(JSON.stringify({ ...message, sequenceNumber: String(sequence++) }));
      });
      const media = (mulaw: Uint8Array) =>
        socket.send(
          JSON.stringify({
            event: "media",
            sequenceNumber: String(sequence++),
            streamSid: "MZ1",
            media: {
              track: "inbound",
              chunk: String(++chunk),
              timestamp: String(chunk * 20),
              payload: Buffer.from(mulaw).toString("base64"),
            },
          }),
        );
      const silence = new Uint8Array(160).fill(0xff);
      const until = async (done: () => boolean, what: string, audio?: Uint8Array) => {
        for (let i = 0; i < 6000; i++) {
          if (done()) return;
          const frame = audio
            ? audio.subarray((i * 160) % audio.length, ((i * 160) % audio.length) + 160)
            : silence;
          media(frame.length === 160 ? frame : silence);
          await sleep(10);
        }
        throw new Error(`Timed out waiting for ${what}`);
      };
      socket.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      socket.send(start(custom));
      const outbound = () => received.filter((m) => m.event === "media").length;
      await until(() => outbound() > 20, "the greeting audio");
      await until(
        () => received.filter((m) => m.event === "mark").length > 0 && outbound() > 60,
        "more greeting",
      );

      const question = await speech("What are your opening hours?");
      const send = async (mulaw: Uint8Array) => {
        for (let i = 0; i + 160 <= mulaw.length; i += 160) {
          media(mulaw.subarray(i, i + 160));
          await sleep(10);
        }
      };
      // Let the greeting finish, ask, and wait for the answer to be spoken.
      await until(
        () => false || (outbound() > 0 && received.at(-1)?.event !== "media"),
        "greeting end",
      ).catch(() => {});
      await send(question);
      const beforeAnswer = outbound();
      await until(() => outbound() > beforeAnswer + 50, "the answer audio");
      // Barge in while the agent is speaking.
      await send(await speech("Wait, stop please."));
      await until(() => received.some((m) => m.event === "clear"), "a clear message");
      // The agent stays paused until the caller's words are recognised, then the barge-in is stored.
      let stored: string[] = [];
      const poll = setInterval(async () => {
        const current = await api("GET", `/api/v1/sessions/${sessionId}`);
        stored = current.transcript.map((e: { data: { type?: string } }) => e.data?.type ?? "");
      }, 300);
      try {
        await until(() => stored.includes("barge-in"), "the stored barge-in");
      } finally {
        clearInterval(poll);
      }
      expect(received.find((m) => m.event === "media").media.payload).toEqual(expect.any(String));

      socket.send(
        JSON.stringify({
          event: "dtmf",
          sequenceNumber: String(sequence++),
          streamSid: "MZ1",
          dtmf: { track: "inbound_track", digit: "1" },
        }),
      );
      socket.send(
        JSON.stringify({
          event: "stop",
          sequenceNumber: String(sequence++),
          streamSid: "MZ1",
          stop: { accountSid: "AC1", callSid: "CA42" },
        }),
      );
      await new Promise((resolve) => socket.once("close", resolve));

      let session = await api("GET", `/api/v1/sessions/${sessionId}`);
      for (let i = 0; i < 200 && session.status !== "ended"; i++) {
        await sleep(50);
        session = await api("GET", `/api/v1/sessions/${sessionId}`);
      }
      expect(session).toMatchObject({ channel: "phone", caller: "+15557654321", status: "ended" });
      const kinds = session.transcript.map(
        (e: { kind: string; role: string | null }) => `${e.kind}:${e.role ?? ""}`,
      );
      expect(kinds).toContain("message:user");
      expect(kinds).toContain("turn:");
      const events = session.transcript
        .filter((e: { kind: string }) => e.kind === "event")
        .map((e: { data: { type: string } }) => e.data.type);
      expect(events).toEqual(expect.arrayContaining(["barge-in", "dtmf"]));
      const recording = await t.request("GET", `/api/v1/sessions/${sessionId}/recording`, {
        token: a.accessToken,
      });
      expect(recording.status).toBe(200);
    },
    240_000,
  );
});
