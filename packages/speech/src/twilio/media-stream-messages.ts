import { ValidationError } from "@oratio/core";

/**
 * Twilio Media Streams wire messages (bidirectional `<Connect><Stream>`): inbound events
 * are validated by hand into a typed union; outbound `media`, `mark` and `clear` messages
 * are built as JSON text ready for the WebSocket.
 */
export type TwilioInboundMessage =
  | { event: "connected"; protocol: string; version: string }
  | {
      event: "start";
      sequenceNumber: number;
      streamSid: string;
      start: {
        accountSid: string;
        callSid: string;
        streamSid: string;
        tracks: string[];
        customParameters: Record<string, string>;
        mediaFormat: { encoding: string; sampleRate: number; channels: number };
      };
    }
  | {
      event: "media";
      sequenceNumber: number;
      streamSid: string;
      media: { track: string; chunk: number; timestamp: number; payload: Uint8Array };
    }
  | { event: "mark"; sequenceNumber: number; streamSid: string; mark: { name: string } }
  | { event: "dtmf"; sequenceNumber: number; streamSid: string; dtmf: { track: string; digit: string } }
  | {
      event: "stop";
      sequenceNumber: number;
      streamSid: string;
      stop: { accountSid: string; callSid: string };
    };

type Json = Record<string, unknown>;

/** Parse one inbound WebSocket text message; throws ValidationError naming what is wrong. */
export function parseTwilioMessage(raw: string | Uint8Array): TwilioInboundMessage {
  const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ValidationError("Twilio message is not valid JSON.");
  }
  const message = object(data, "message");
  const event = string(message, "event");
  if (event === "connected") {
    return { event, protocol: string(message, "protocol"), version: string(message, "version") };
  }
  const sequenceNumber = integer(message, "sequenceNumber");
  const streamSid = string(message, "streamSid");
  switch (event) {
    case "start": {
      const start = object(message.start, "start");
      const format = object(start.mediaFormat, "start.mediaFormat");
      const params =
        start.customParameters === undefined ? {} : object(start.customParameters, "start.customParameters");
      const customParameters: Record<string, string> = {};
      for (const [key, value] of Object.entries(params)) customParameters[key] = String(value);
      const tracks = Array.isArray(start.tracks) ? start.tracks.map(String) : ["inbound"];
      return {
        event,
        sequenceNumber,
        streamSid,
        start: {
          accountSid: string(start, "accountSid", "start."),
          callSid: string(start, "callSid", "start."),
          streamSid: typeof start.streamSid === "string" ? start.streamSid : streamSid,
          tracks,
          customParameters,
          mediaFormat: {
            encoding: string(format, "encoding", "start.mediaFormat."),
            sampleRate: integer(format, "sampleRate", "start.mediaFormat."),
            channels: integer(format, "channels", "start.mediaFormat."),
          },
        },
      };
    }
    case "media": {
      const media = object(message.media, "media");
      const payloadText = string(media, "payload", "media.");
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payloadText) || payloadText.length % 4 !== 0) {
        throw new ValidationError("media.payload is not base64.");
      }
      return {
        event,
        sequenceNumber,
        streamSid,
        media: {
          track: typeof media.track === "string" ? media.track : "inbound",
          chunk: integer(media, "chunk", "media."),
          timestamp: integer(media, "timestamp", "media."),
          payload: new Uint8Array(Buffer.from(payloadText, "base64")),
        },
      };
    }
    case "mark": {
      const mark = object(message.mark, "mark");
      return { event, sequenceNumber, streamSid, mark: { name: string(mark, "name", "mark.") } };
    }
    case "dtmf": {
      const dtmf = object(message.dtmf, "dtmf");
      const digit = string(dtmf, "digit", "dtmf.");
      if (!/^[0-9*#A-D]$/.test(digit))
        throw new ValidationError(`dtmf.digit "${digit}" is not a DTMF digit.`);
      return {
        event,
        sequenceNumber,
        streamSid,
        dtmf: { track: typeof dtmf.track === "string" ? dtmf.track : "inbound_track", digit },
      };
    }
    case "stop": {
      const stop = object(message.stop, "stop");
      return {
        event,
        sequenceNumber,
        streamSid,
        stop: { accountSid: string(stop, "accountSid", "stop."), callSid: string(stop, "callSid", "stop.") },
      };
    }
    default:
      throw new ValidationError(`Unknown Twilio event "${event}".`);
  }
}

export function buildTwilioMedia(streamSid: string, mulaw: Uint8Array): string {
  const payload = Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.byteLength).toString("base64");
  return JSON.stringify({ event: "media", streamSid, media: { payload } });
}

export function buildTwilioMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: "mark", streamSid, mark: { name } });
}

export function buildTwilioClear(streamSid: string): string {
  return JSON.stringify({ event: "clear", streamSid });
}

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ValidationError(`Twilio ${path} must be an object.`);
  }
  return value as Json;
}

function string(parent: Json, key: string, prefix = ""): string {
  const value = parent[key];
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`Twilio ${prefix}${key} must be a non-empty string.`);
  }
  return value;
}

/** Twilio sends numbers as decimal strings ("sequenceNumber": "3"); both forms are taken. */
function integer(parent: Json, key: string, prefix = ""): number {
  const value = parent[key];
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0) {
    throw new ValidationError(`Twilio ${prefix}${key} must be a whole number.`);
  }
  return number;
}
