import { type Http, type RequestOptions, segment } from "../http.ts";
import type { OrgEvent } from "./events.ts";
import type { RawTransport } from "./raw.ts";
import { openEventStream } from "./sse.ts";

export type Channel = "chat" | "voice" | "phone" | "api";
export type SessionStatus = "active" | "needs_human" | "human" | "ended";

export interface Session {
  id: string;
  agentId: string;
  agentVersion: number;
  /** Slug of the agent speaking now (changes on handoffs). */
  activeAgent: string;
  channel: Channel;
  status: SessionStatus;
  metadata: Record<string, unknown>;
  caller: string | null;
  turnCount: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  endReason: string | null;
  startedAt: string;
  lastActivityAt: string;
  endedAt: string | null;
}

/** One transcript entry: kind `message`, `tool_call`, `tool_result`, `citation`, `handoff`, `event` or `turn`. */
export interface TranscriptEntry {
  seq: number;
  kind: string;
  role: "user" | "assistant" | "operator" | null | string;
  agent: string | null;
  text: string | null;
  data?: Record<string, unknown> | null;
  turnId: string | null;
  audioOffsetMs: number | null;
  createdAt: string;
}

export interface SessionDetail extends Session {
  transcript: TranscriptEntry[];
}

export interface CitedSource {
  id: string;
  documentId: string;
  title?: string;
  url?: string;
  page?: number;
  headingPath?: string[];
  snippet: string;
  score?: number;
}

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a streamed turn sends, in order, ending with `turn-end` (or `error`). */
export type TurnStreamEvent =
  | { type: "user-message"; text: string; at: number }
  | { type: "operator-message"; text: string; at: number }
  | { type: "text-delta"; agent: string; text: string }
  | { type: "tool-call"; agent: string; toolCallId: string; name: string; args: unknown }
  | {
      type: "tool-result";
      agent: string;
      toolCallId: string;
      name: string;
      result: string;
      isError: boolean;
      durationMs: number;
    }
  | { type: "citation"; agent: string; toolCallId: string; citation: CitedSource }
  | { type: "handoff"; from: string; to: string; policy: string; reason?: string; at: number }
  | { type: "handoff-refused"; from: string; to: string; reason: string; at: number }
  | { type: "needs-human"; agent: string; reason: string; detail: string; at: number }
  | { type: "session-end"; agent: string; reason: string; at: number }
  | { type: "fallback"; agent: string; at: number }
  | { type: "error"; agent: string; error: { code: string; message: string; retryable: boolean }; at: number }
  | {
      type: "turn-end";
      turnId?: string;
      agent: string;
      reason: string;
      text?: string;
      usage?: TurnUsage;
      latency?: Record<string, number>;
      costUsd?: number;
      [key: string]: unknown;
    };

export interface TurnReply {
  turnId: string;
  agent: string;
  reason: string;
  text: string;
  citations: CitedSource[];
  usage: TurnUsage;
  latency?: Record<string, number>;
  costUsd: number;
  sessionStatus: SessionStatus;
}

export interface SessionQuery {
  agentId?: string;
  status?: SessionStatus;
  channel?: Channel;
  /** ISO date-time: sessions started at or after. */
  from?: string;
  to?: string;
  /** Text anywhere in the transcript. */
  q?: string;
  limit?: number;
  offset?: number;
}

export function sessionsResource(http: Http, raw: RawTransport) {
  const one = (id: string) => `/sessions/${segment(id)}`;
  return {
    create(
      input: {
        agentId: string;
        channel?: Channel;
        version?: number;
        caller?: string;
        metadata?: Record<string, unknown>;
      },
      options?: RequestOptions,
    ): Promise<Session> {
      return http.post<Session>("/sessions", input, options);
    },
    list(query: SessionQuery = {}, options?: RequestOptions): Promise<{ data: Session[]; total: number }> {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== "") params.set(key, String(value));
      }
      return http.get(`/sessions${params.size ? `?${params}` : ""}`, options);
    },
    get(id: string, options?: RequestOptions): Promise<SessionDetail> {
      return http.get<SessionDetail>(one(id), options);
    },
    /** Sends a user message and waits for the whole reply. */
    send(id: string, text: string, options?: RequestOptions): Promise<TurnReply> {
      return http.post<TurnReply>(`${one(id)}/messages`, { text }, options);
    },
    /** Sends a user message and yields the reply as it is produced (text deltas, tool calls, citations…). */
    async *stream(id: string, text: string, options: RequestOptions = {}): AsyncGenerator<TurnStreamEvent> {
      const events = openEventStream<TurnStreamEvent>(raw, "POST", `${one(id)}/messages`, {
        ...options,
        body: { text },
      });
      for await (const event of events) yield event.data;
    },
    /** The session's live events (turn stream events arrive as `session.stream`), until `signal` aborts. */
    async *events(id: string, options: RequestOptions = {}): AsyncGenerator<OrgEvent> {
      for await (const event of openEventStream<OrgEvent>(raw, "GET", `${one(id)}/events`, options)) {
        if (event.data && typeof event.data === "object") yield event.data;
      }
    },
    end(id: string, options?: RequestOptions): Promise<Session> {
      return http.post<Session>(`${one(id)}/end`, {}, options);
    },
    /** A person takes the conversation over: the agent stops answering until released. */
    takeover(id: string, options?: RequestOptions): Promise<Session> {
      return http.post<Session>(`${one(id)}/takeover`, {}, options);
    },
    /** Hands the conversation back to the agent. */
    release(id: string, options?: RequestOptions): Promise<Session> {
      return http.post<Session>(`${one(id)}/release`, {}, options);
    },
    operatorMessage(id: string, text: string, options?: RequestOptions): Promise<Session> {
      return http.post<Session>(`${one(id)}/operator-messages`, { text }, options);
    },
    /** The call recording of a voice or phone session: stereo WAV, caller left, agent right. */
    async recording(id: string, options?: RequestOptions): Promise<Blob> {
      const response = await raw.request("GET", `${one(id)}/recording`, { ...options, accept: "audio/wav" });
      return response.blob();
    },
  };
}
