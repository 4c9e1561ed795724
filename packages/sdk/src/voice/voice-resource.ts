import { API_PATH, type Http, type RequestOptions, segment } from "../http.ts";
import type { Session } from "../resources/sessions.ts";
import { browser } from "./browser-types.ts";
import { VoiceCall, type VoiceCallOptions } from "./voice-call.ts";
import { VoiceCallError, VoiceConnection, type VoiceConnectionOptions } from "./voice-connection.ts";

export interface VoiceResourceOptions {
  baseUrl: string;
  apiKey?: string;
}

/** Which session a call joins: an id, or a function that creates one when the call starts. */
export type SessionChoice = string | ((signal?: AbortSignal) => Promise<string>);

export type StartCallOptions = Omit<VoiceCallOptions, "connect"> & Pick<VoiceConnectionOptions, "WebSocket">;

/**
 * Voice calls on sessions (`GET /api/v1/sessions/{id}/voice`). Browsers cannot put headers
 * on a WebSocket, so the credential travels as `?access_token=` (the server accepts it on
 * upgrades only); the session is fetched first, which renews an expired access token and
 * turns a missing or ended session into a readable ApiError instead of a bare socket failure.
 */
export function voiceResource(http: Http, options: VoiceResourceOptions) {
  async function socketUrl(sessionId: string, requestOptions?: RequestOptions): Promise<string> {
    const session = await http.get<Session>(`/sessions/${segment(sessionId)}`, requestOptions);
    if (session.status === "ended") {
      throw new VoiceCallError(
        "session-ended",
        "This conversation has ended; start a new one to talk again.",
      );
    }
    const credential = options.apiKey ?? http.tokenStore.get()?.accessToken;
    if (!credential) {
      throw new VoiceCallError("unauthorized", "Sign in, or use an API key, before starting a voice call.");
    }
    const base = options.baseUrl || browser.location?.origin;
    if (!base) throw new VoiceCallError("connection-failed", "No server address: set the client's baseUrl.");
    const url = new URL(`${base.replace(/\/+$/, "")}${API_PATH}/sessions/${segment(sessionId)}/voice`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("access_token", credential);
    // A socket cannot carry X-Organization-Id: a person in several organizations names the
    // chosen one in the query, as the event stream does.
    if (http.organizationId && !options.apiKey) url.searchParams.set("orgId", http.organizationId);
    return url.href;
  }

  async function connect(
    sessionId: string,
    connectOptions: VoiceConnectionOptions = {},
  ): Promise<VoiceConnection> {
    const url = await socketUrl(sessionId, { signal: connectOptions.signal });
    return VoiceConnection.open(url, connectOptions);
  }

  return {
    /** The WebSocket URL of a session's voice call, credential included: keep it private. */
    socketUrl,
    /** The voice socket alone (no microphone or speakers): send PCM16 frames, receive events and audio. */
    connect,
    /**
     * A browser voice call: microphone in, agent audio out, events to `call.on`. Call it from
     * a click handler. `session` may be a function creating the session, run only once the
     * microphone is granted.
     */
    call(session: SessionChoice, callOptions: StartCallOptions = {}): Promise<VoiceCall> {
      const { WebSocket, ...rest } = callOptions;
      return VoiceCall.start({
        ...rest,
        connect: async (signal) => {
          const sessionId = typeof session === "string" ? session : await session(signal);
          return connect(sessionId, { WebSocket, signal });
        },
      });
    },
  };
}
