import { existsSync } from "node:fs";
import WebSocket from "ws";

/** The voice socket needs the local speech recogniser (Debian's pocketsphinx). */
export const HAVE_POCKETSPHINX = existsSync("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin");

const FRAME_BYTES = 640; // 20 ms of 16 kHz PCM16
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// biome-ignore lint/suspicious/noExplicitAny: the socket's JSON events are read ad hoc
export type VoiceEvent = { type: string; [key: string]: any };

/**
 * Places a call on a session's voice socket as a browser would (PCM16 frames at 16 kHz,
 * silence while nobody speaks), so the server records it: waits for the greeting, says
 * `caller` if given, keeps the line open until `until` holds, then hangs up.
 */
export async function placeCall(options: {
  url: string;
  caller?: Int16Array;
  until?: (events: VoiceEvent[]) => boolean;
  timeoutMs?: number;
}): Promise<VoiceEvent[]> {
  const events: VoiceEvent[] = [];
  const socket = new WebSocket(options.url);
  socket.on("message", (data: Buffer, binary: boolean) => {
    if (!binary) events.push(JSON.parse(data.toString()) as VoiceEvent);
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`voice socket refused: HTTP ${response.statusCode}`)),
    );
  });
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  const silence = Buffer.alloc(FRAME_BYTES);
  const keepTalking = async (done: () => boolean, what: string) => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      socket.send(silence);
      await sleep(10);
    }
  };
  const agentFinals = () => events.filter((e) => e.type === "transcript" && e.role === "agent" && e.final);
  await keepTalking(() => events.some((e) => e.type === "ready"), "the call to connect");
  await keepTalking(() => agentFinals().length >= 1, "the greeting");
  if (options.caller) {
    const bytes = Buffer.from(options.caller.buffer, options.caller.byteOffset, options.caller.byteLength);
    for (let offset = 0; offset < bytes.length; offset += FRAME_BYTES) {
      const frame = Buffer.alloc(FRAME_BYTES);
      bytes.copy(frame, 0, offset, Math.min(offset + FRAME_BYTES, bytes.length));
      socket.send(frame);
      await sleep(10); // twice real time
    }
  }
  if (options.until) await keepTalking(() => options.until!(events), "the call to go on");
  socket.send(JSON.stringify({ type: "hangup" }));
  await closed;
  return events;
}
