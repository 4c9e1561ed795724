import { ValidationError } from "@oratio/core";
import { MulawAdapter } from "../session/mulaw-adapter.ts";
import type { VoiceSession } from "../session/voice-session.ts";
import {
  buildTwilioClear,
  buildTwilioMark,
  buildTwilioMedia,
  parseTwilioMessage,
  type TwilioInboundMessage,
} from "./media-stream-messages.ts";

/**
 * Joins one Twilio Media Stream to a VoiceSession, socket-agnostic: the server passes each
 * inbound WebSocket message to `handleMessage` and sends what `send` is given.
 *
 * - `start` starts the session (so the greeting has a stream to go to); `stop` closes it.
 * - Inbound μ-law media goes to the session; agent frames go out as `media` messages, each
 *   group followed by a `mark`. Twilio echoes a mark when the audio before it has played,
 *   which becomes `session.markPlayed`, so the session knows what the caller heard.
 * - `clear-output` (barge-in) sends `clear`; marks still pending then are forgotten, since
 *   Twilio echoes them at once although their audio was never played.
 *
 * The session must be created with 8000 Hz in and out and `playout: "transport"`.
 */
export interface TwilioMediaStreamBridgeOptions {
  /** Send one text message on the WebSocket. */
  send: (message: string) => void;
  /** Frames per mark. Default 1 (20 ms precision for what the caller heard). */
  framesPerMark?: number;
  /** Malformed or unexpected inbound messages. */
  onError?: (error: Error) => void;
  onStart?: (start: Extract<TwilioInboundMessage, { event: "start" }>["start"]) => void;
  onDtmf?: (digit: string) => void;
}

export class TwilioMediaStreamBridge {
  private readonly adapter: MulawAdapter;
  private readonly pendingMarks = new Map<string, number>();
  private streamSidValue: string | undefined;
  private framesSinceMark = 0;
  private samplesSinceMark = 0;
  private markCounter = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: VoiceSession,
    private readonly options: TwilioMediaStreamBridgeOptions,
  ) {
    if (session.playoutMode !== "transport") {
      throw new ValidationError('A Twilio session needs playout: "transport" (marks say what was heard).');
    }
    this.adapter = new MulawAdapter(session);
    const framesPerMark = options.framesPerMark ?? 1;
    const stopAudio = this.adapter.onAudio((mulaw) => {
      const sid = this.streamSidValue;
      if (!sid) return;
      options.send(buildTwilioMedia(sid, mulaw));
      this.framesSinceMark++;
      this.samplesSinceMark += mulaw.length;
      if (this.framesSinceMark >= framesPerMark) this.sendMark(sid);
    });
    const stopControl = session.on((event) => {
      const sid = this.streamSidValue;
      if (event.type !== "clear-output" || !sid) return;
      options.send(buildTwilioClear(sid));
      this.pendingMarks.clear();
      this.framesSinceMark = 0;
      this.samplesSinceMark = 0;
    });
    this.unsubscribe = () => {
      stopAudio();
      stopControl();
    };
  }

  get streamSid(): string | undefined {
    return this.streamSidValue;
  }

  /** Handle one inbound message. Returns the parsed message, or undefined when it was rejected. */
  handleMessage(raw: string | Uint8Array): TwilioInboundMessage | undefined {
    let message: TwilioInboundMessage;
    try {
      message = parseTwilioMessage(raw);
    } catch (error) {
      this.options.onError?.(error as Error);
      return undefined;
    }
    switch (message.event) {
      case "start": {
        const { encoding, sampleRate, channels } = message.start.mediaFormat;
        if (encoding !== "audio/x-mulaw" || sampleRate !== 8000 || channels !== 1) {
          this.options.onError?.(
            new ValidationError(
              `Unsupported Twilio media format ${encoding} ${sampleRate} Hz × ${channels}.`,
            ),
          );
          return undefined;
        }
        this.streamSidValue = message.streamSid;
        this.options.onStart?.(message.start);
        if (!this.session.ended) this.session.start();
        break;
      }
      case "media":
        if (message.media.track === "inbound") this.adapter.pushMulaw(message.media.payload);
        break;
      case "mark": {
        const samples = this.pendingMarks.get(message.mark.name);
        if (samples !== undefined) {
          this.pendingMarks.delete(message.mark.name);
          this.session.markPlayed(samples);
        }
        break;
      }
      case "dtmf":
        this.options.onDtmf?.(message.dtmf.digit);
        break;
      case "stop":
        this.session.close();
        this.unsubscribe();
        break;
      default:
        break;
    }
    return message;
  }

  private sendMark(sid: string): void {
    const name = `oratio-${++this.markCounter}`;
    this.pendingMarks.set(name, this.samplesSinceMark);
    this.framesSinceMark = 0;
    this.samplesSinceMark = 0;
    this.options.send(buildTwilioMark(sid, name));
  }
}
