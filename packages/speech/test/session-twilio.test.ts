import { existsSync } from "node:fs";
import type { PcmChunk } from "@oratio/core/speech";
import { describe, expect, it } from "vitest";
import {
  buildConnectStreamTwiml,
  buildTwilioClear,
  buildTwilioMark,
  buildTwilioMedia,
  createFliteTextToSpeech,
  createPocketsphinxSpeechToText,
  createWebRtcVad,
  mulawToPcm16,
  parseTwilioMessage,
  pcm16ToMulaw,
  resample,
  TwilioMediaStreamBridge,
  VoiceSession,
} from "../src/index.ts";

const hasPocketsphinx = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
if (!hasPocketsphinx) console.warn("Skipping the simulated Twilio call: pocketsphinx is not installed.");

const SID = "MZ00000000000000000000000000000001";
const start = (format = { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 }) =>
  JSON.stringify({
    event: "start",
    sequenceNumber: "1",
    streamSid: SID,
    start: {
      accountSid: "AC1",
      callSid: "CA1",
      streamSid: SID,
      tracks: ["inbound"],
      customParameters: { agentId: "agt_1" },
      mediaFormat: format,
    },
  });
const media = (sequence: number, mulaw: Uint8Array) =>
  JSON.stringify({
    event: "media",
    sequenceNumber: String(sequence),
    streamSid: SID,
    media: {
      track: "inbound",
      chunk: String(sequence),
      timestamp: String(sequence * 20),
      payload: Buffer.from(mulaw).toString("base64"),
    },
  });

async function flite(text: string): Promise<Int16Array> {
  const tts = createFliteTextToSpeech({ voice: "kal16" });
  const chunks: PcmChunk[] = [];
  for await (const c of tts.synthesize(text)) chunks.push(c);
  await tts.close();
  const out = new Int16Array(chunks.reduce((n, c) => n + c.samples.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c.samples, o);
    o += c.samples.length;
  }
  return out;
}

/** Best normalised cross-correlation of `signal` against `reference` over lags 0..maxLag. */
function bestCorrelation(reference: Int16Array, signal: Int16Array, maxLag: number): number {
  let best = 0;
  for (let lag = 0; lag <= maxLag; lag++) {
    let dot = 0;
    let a = 0;
    let b = 0;
    const n = Math.min(reference.length, signal.length - lag);
    for (let i = 0; i < n; i++) {
      const x = reference[i]!;
      const y = signal[i + lag]!;
      dot += x * y;
      a += x * x;
      b += y * y;
    }
    if (a > 0 && b > 0) best = Math.max(best, dot / Math.sqrt(a * b));
  }
  return best;
}

describe("Twilio Media Streams messages", () => {
  it("parses every inbound event", () => {
    expect(parseTwilioMessage('{"event":"connected","protocol":"Call","version":"1.0.0"}')).toEqual({
      event: "connected",
      protocol: "Call",
      version: "1.0.0",
    });
    const parsedStart = parseTwilioMessage(start());
    expect(parsedStart).toMatchObject({ event: "start", sequenceNumber: 1, streamSid: SID });
    expect(parsedStart.event === "start" && parsedStart.start.customParameters).toEqual({ agentId: "agt_1" });
    const parsedMedia = parseTwilioMessage(media(3, new Uint8Array([0xff, 0x7f, 0x00])));
    expect(parsedMedia.event === "media" && [...parsedMedia.media.payload]).toEqual([0xff, 0x7f, 0x00]);
    expect(
      parseTwilioMessage(buildTwilioMark(SID, "m1").replace('"mark",', '"mark","sequenceNumber":"4",')),
    ).toMatchObject({
      mark: { name: "m1" },
    });
    expect(
      parseTwilioMessage(
        JSON.stringify({
          event: "dtmf",
          sequenceNumber: "5",
          streamSid: SID,
          dtmf: { track: "inbound_track", digit: "7" },
        }),
      ),
    ).toMatchObject({ dtmf: { digit: "7" } });
    expect(
      parseTwilioMessage(
        JSON.stringify({
          event: "stop",
          sequenceNumber: "6",
          streamSid: SID,
          stop: { accountSid: "AC1", callSid: "CA1" },
        }),
      ),
    ).toMatchObject({ event: "stop" });
  });

  it.each([
    ["not json", /not valid JSON/],
    [
      '{"event":"media","sequenceNumber":"2","streamSid":"MZ1","media":{"chunk":"1","timestamp":"0","payload":"@@@"}}',
      /not base64/,
    ],
    ['{"event":"media","sequenceNumber":"x","streamSid":"MZ1"}', /sequenceNumber must be a whole number/],
    ['{"event":"dtmf","sequenceNumber":"1","streamSid":"MZ1","dtmf":{"digit":"77"}}', /not a DTMF digit/],
    ['{"event":"teleport","sequenceNumber":"1","streamSid":"MZ1"}', /Unknown Twilio event/],
    ["[1,2]", /message must be an object/],
  ])("rejects %s with a clear error", (raw, message) => {
    expect(() => parseTwilioMessage(raw)).toThrow(message);
  });

  it("builds outbound messages and TwiML", () => {
    expect(JSON.parse(buildTwilioMedia(SID, new Uint8Array([1, 2, 3])))).toEqual({
      event: "media",
      streamSid: SID,
      media: { payload: "AQID" },
    });
    expect(JSON.parse(buildTwilioClear(SID))).toEqual({ event: "clear", streamSid: SID });
    expect(
      buildConnectStreamTwiml({
        url: "wss://voice.example.com/twilio?x=1&y=2",
        parameters: { agent: 'a"<b>' },
      }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://voice.example.com/twilio?x=1&#38;y=2">' +
        '<Parameter name="agent" value="a&#34;&#60;b&#62;"/></Stream></Connect></Response>',
    );
    expect(() => buildConnectStreamTwiml({ url: "http://example.com" })).toThrow(/wss/);
  });
});

describe.skipIf(!hasPocketsphinx)("a simulated Twilio call", () => {
  it("takes μ-law caller audio, answers with μ-law audio matching the agent's voice, and follows marks", async () => {
    const reply = "We open at nine.";
    const sent: string[] = [];
    const errors: Error[] = [];
    const asked: string[] = [];
    const vad = await createWebRtcVad({ sampleRate: 8000 });
    const tts = createFliteTextToSpeech({ voice: "kal16" });
    const session = new VoiceSession({
      inputSampleRate: 8000,
      playout: "transport",
      vad,
      stt: await createPocketsphinxSpeechToText(),
      tts,
      sttFinalTimeoutMs: 20_000,
      respond: async function* (text) {
        asked.push(text);
        yield reply;
      },
    });
    const bridge = new TwilioMediaStreamBridge(session, {
      send: (m) => sent.push(m),
      onError: (e) => errors.push(e),
    });
    expect(
      bridge.handleMessage(start({ encoding: "audio/x-mulaw", sampleRate: 16000, channels: 1 })),
    ).toBeUndefined();
    expect(errors[0]!.message).toMatch(/Unsupported Twilio media format/);
    bridge.handleMessage('{"event":"connected","protocol":"Call","version":"1.0.0"}');
    bridge.handleMessage(start());
    expect(bridge.streamSid).toBe(SID);

    // The caller: flite speech, band-limited to 8 kHz and μ-law coded like a phone line.
    const caller = pcm16ToMulaw(resample(await flite("What time do you open on Saturday?"), 16000, 8000));
    const silence = pcm16ToMulaw(new Int16Array(160));
    const echoed = new Set<string>();
    let sequence = 2;
    const tick = async (payload: Uint8Array, delayMs: number) => {
      bridge.handleMessage(media(sequence++, payload));
      // Twilio plays 20 ms per inbound 20 ms and echoes a mark once the audio before it played.
      const mark = sent.map((m) => JSON.parse(m)).find((m) => m.event === "mark" && !echoed.has(m.mark.name));
      if (mark) {
        echoed.add(mark.mark.name);
        bridge.handleMessage(JSON.stringify({ ...mark, sequenceNumber: String(sequence++) }));
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    };
    for (let i = 0; i < 25; i++) await tick(silence, 1);
    for (let i = 0; i + 160 <= caller.length; i += 160) await tick(caller.subarray(i, i + 160), 8);
    // Silence until the agent answers: a wall-clock limit beyond the STT's final wait (20 s), so
    // a slow recogniser shows as "no answer" here rather than as a confusing later failure.
    const deadline = Date.now() + 45_000;
    while (!session.getTranscript().some((e) => e.role === "agent")) {
      if (Date.now() > deadline) throw new Error("The agent did not answer within 45 s.");
      await tick(silence, 5);
    }
    bridge.handleMessage(
      JSON.stringify({
        event: "stop",
        sequenceNumber: String(sequence),
        streamSid: SID,
        stop: { accountSid: "AC1", callSid: "CA1" },
      }),
    );
    expect(session.ended).toBe(true);
    vad.close();
    await tts.close();

    // The turn was detected and recognised (PocketSphinx's wideband model is poor on 8 kHz
    // speech, so only that it heard something is asserted here, not the words).
    expect(asked).toHaveLength(1);
    expect(asked[0]!.length).toBeGreaterThan(0);

    const outbound = sent.map((m) => JSON.parse(m));
    const mediaOut = outbound.filter((m) => m.event === "media");
    expect(
      mediaOut.every((m) => m.streamSid === SID && Buffer.from(m.media.payload, "base64").length === 160),
    ).toBe(true);
    const agent8k = mulawToPcm16(
      new Uint8Array(Buffer.concat(mediaOut.map((m) => Buffer.from(m.media.payload, "base64")))),
    );
    const reference = resample(await flite(reply), 16000, 8000);
    expect(agent8k.length).toBeGreaterThanOrEqual(reference.length);
    expect(bestCorrelation(reference, agent8k, 200)).toBeGreaterThan(0.9);
    // Every frame got a mark and every mark was acknowledged, so the whole reply counts as heard.
    expect(outbound.filter((m) => m.event === "mark")).toHaveLength(mediaOut.length);
    expect(session.getTranscript().find((e) => e.role === "agent")).toMatchObject({ text: reply });
  }, 60_000);
});
