import {
  type AgentDefinition,
  ConflictError,
  createSession as createRuntimeSession,
  NotFoundError,
  runTurn,
  type SessionState,
  type Tool,
  type TurnEvent,
  type TurnResult,
} from "@oratio/core";
import { agents, type Channel, OrgScope, type SessionStatus, sessions } from "@oratio/db";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { EventBus } from "../events/bus.ts";
import type { EmbeddingModels } from "../knowledge/embedding-models.ts";
import { type LoadedDirectory, loadDirectory, pinVersions } from "./directory.ts";
import type { ModelRegistry } from "./models.ts";
import { estimateCostUsd } from "./pricing.ts";
import { knowledgeRetriever } from "./retriever.ts";
import { sessionCacheFor } from "./session-cache.ts";
import { sessionForTurnStart } from "./session-reader.ts";
import {
  appendEntries,
  assertOpen,
  findSession,
  insertSession,
  type NewEntry,
  type SessionRow,
} from "./session-store.ts";
import { type ClientEvent, entryFor } from "./stream-events.ts";
import { type TurnCommit, TurnWriter } from "./turn-store.ts";

export interface ConversationDeps {
  bus: EventBus;
  models: ModelRegistry;
  logger: Logger;
  prices: Record<string, [number, number]>;
  /** Custom tools of the organization by id, as run-loop tools. */
  toolsFor(scope: OrgScope, toolIds: string[]): Promise<Tool[]>;
  /** Embedding models for hybrid knowledge search; without it, `search_knowledge` uses full text. */
  embeddings?: EmbeddingModels;
}

export interface TurnSummary {
  turnId: string;
  agent: string;
  reason: string;
  text: string;
  citations: unknown[];
  usage: { inputTokens: number; outputTokens: number };
  latency: TurnResult["latency"] | null;
  costUsd: number;
  sessionStatus: SessionStatus;
}

export type TurnListener = (event: ClientEvent) => void;

interface RunningTurn {
  controller: AbortController;
}

/**
 * Holds conversations: creates sessions pinned to agent versions, runs one turn at a time
 * per session (a new message cancels the turn in progress), persists every turn before it
 * is acknowledged, and handles human takeover.
 */
export class ConversationService {
  private readonly running = new Map<string, RunningTurn>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly writer = new TurnWriter();

  constructor(private readonly deps: ConversationDeps) {}

  async createSession(
    scope: OrgScope,
    input: {
      agentId: string;
      version?: number;
      channel: Channel;
      metadata: Record<string, unknown>;
      caller?: string;
    },
  ): Promise<SessionRow> {
    const [agent] = await scope.db
      .select()
      .from(agents)
      .where(scope.where(agents, eq(agents.id, input.agentId)));
    if (!agent || agent.archivedAt) throw new NotFoundError("Agent");
    const version = input.version ?? agent.publishedVersion;
    if (version === null || version === undefined) {
      throw new ConflictError("This agent has no published version; publish one or name a version.");
    }
    if (version > agent.latestVersion) throw new NotFoundError(`Version ${version}`);
    const pinned = await pinVersions(scope, agent.id, version, {
      includeDrafts: input.version !== undefined,
    });
    const loaded = await loadDirectory(scope, pinned, async () => []);
    const entry = loaded.directory.get(agent.slug)!;
    const state = createRuntimeSession(entry);
    const { rowVersion, ...session } = await insertSession(scope, {
      agentId: agent.id,
      agentVersion: version,
      pinnedVersions: pinned,
      channel: input.channel,
      metadata: input.metadata,
      caller: input.caller ?? null,
      state,
    });
    // The greeting below is a transcript entry: the row stays as inserted.
    const { state: stored, ...row } = session;
    sessionCacheFor(scope.db).set(row, JSON.stringify(stored), rowVersion);
    if (entry.greeting) {
      await appendEntries(scope, session.id, [
        { kind: "message", role: "assistant", agent: entry.slug, text: entry.greeting },
      ]);
    }
    this.deps.bus.publish(scope.orgId, "session.started", sessionEventData(session));
    return session;
  }

  /** Forgets models built for a provider that was just deleted. */
  forgetProvider(orgId: string, providerId: string): void {
    this.deps.models.forget?.(orgId, providerId);
  }

  /** Stops the turn in progress (barge-in, client gone on purpose); what was said so far is kept. */
  cancel(sessionId: string): void {
    this.running.get(sessionId.toLowerCase())?.controller.abort();
  }

  /**
   * Runs `work` in this session's write queue, after the turn in progress, so annotations
   * written beside the conversation (voice timings, barge-ins, keypad presses) keep the
   * transcript's sequence numbers in order.
   */
  annotate<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    return this.serialize(sessionId, work);
  }

  /** A caller's message: cancels any turn in progress, then runs the agent's reply. */
  sendMessage(
    scope: OrgScope,
    sessionId: string,
    text: string,
    listener?: TurnListener,
    /** Called once the session is known to exist and be open, before the reply starts. */
    onOpened?: () => void,
  ): Promise<TurnSummary> {
    this.cancel(sessionId);
    return this.serialize(sessionId, () => this.runLocked(scope, sessionId, text, listener, onOpened));
  }

  async operatorMessage(scope: OrgScope, sessionId: string, userId: string, text: string): Promise<void> {
    await this.serializeWrite(scope, sessionId, async () => {
      const session = await findSession(scope, sessionId);
      assertOpen(session);
      if (session.status !== "human")
        throw new ConflictError("Take the session over before writing to the caller.");
      const state = session.state as SessionState;
      const at = Date.now();
      state.messages.push({ id: crypto.randomUUID(), role: "assistant", content: text, agent: "human", at });
      await scope.db.transaction(async (tx) => {
        const txScope = new OrgScope(tx, scope.orgId);
        await appendEntries(txScope, sessionId, [
          { kind: "message", role: "operator", agent: "human", text, data: { userId } },
        ]);
        await tx
          .update(sessions)
          .set({ state, lastActivityAt: new Date() })
          .where(scope.where(sessions, eq(sessions.id, sessionId)));
      });
      this.publishStream(scope.orgId, sessionId, { type: "operator-message", text, at });
    });
  }

  async takeover(scope: OrgScope, sessionId: string, userId: string): Promise<SessionRow> {
    this.cancel(sessionId);
    return this.serializeWrite(scope, sessionId, async () => {
      const session = await findSession(scope, sessionId);
      assertOpen(session);
      const updated = await this.setStatus(scope, session, "human", { takenOverBy: userId });
      await appendEntries(scope, sessionId, [{ kind: "event", data: { type: "takeover", userId } }]);
      return updated;
    });
  }

  async release(scope: OrgScope, sessionId: string, userId: string): Promise<SessionRow> {
    return this.serializeWrite(scope, sessionId, async () => {
      const session = await findSession(scope, sessionId);
      assertOpen(session);
      if (session.status !== "human") throw new ConflictError("The session is not taken over.");
      const state = { ...(session.state as SessionState), needsHuman: false };
      const updated = await this.setStatus(scope, session, "active", { takenOverBy: null, state });
      await appendEntries(scope, sessionId, [{ kind: "event", data: { type: "release", userId } }]);
      return updated;
    });
  }

  async end(scope: OrgScope, sessionId: string, reason = "ended-by-client"): Promise<SessionRow> {
    this.cancel(sessionId);
    return this.serializeWrite(scope, sessionId, async () => {
      const session = await findSession(scope, sessionId);
      if (session.status === "ended") return session;
      await appendEntries(scope, sessionId, [{ kind: "event", data: { type: "session-end", reason } }]);
      return this.setStatus(scope, session, "ended", { endReason: reason, endedAt: new Date() });
    });
  }

  private async setStatus(
    scope: OrgScope,
    session: SessionRow,
    status: SessionStatus,
    extra: Partial<typeof sessions.$inferInsert> = {},
  ): Promise<SessionRow> {
    const [updated] = await scope.db
      .update(sessions)
      .set({ status, lastActivityAt: new Date(), ...extra })
      .where(scope.where(sessions, eq(sessions.id, session.id)))
      .returning();
    this.deps.bus.publish(
      scope.orgId,
      status === "ended" ? "session.ended" : "session.updated",
      sessionEventData(updated!),
    );
    return updated!;
  }

  /**
   * `serialize` for the writes beside turns (takeover, release, operator messages, end):
   * they change the row without going through the turn writer, so the cached copy is
   * dropped, before (a turn after a failed write must not trust it) and after.
   */
  private serializeWrite<T>(scope: OrgScope, sessionId: string, work: () => Promise<T>): Promise<T> {
    const cache = sessionCacheFor(scope.db);
    return this.serialize(sessionId, async () => {
      cache.forget(sessionId);
      try {
        return await work();
      } finally {
        cache.forget(sessionId);
      }
    });
  }

  private serialize<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    // One queue per session however its id is spelled (UUIDs are case-insensitive).
    const key = sessionId.toLowerCase();
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  private async runLocked(
    scope: OrgScope,
    sessionId: string,
    text: string,
    listener?: TurnListener,
    onOpened?: () => void,
  ): Promise<TurnSummary> {
    const session = await sessionForTurnStart(scope, sessionId);
    assertOpen(session);
    onOpened?.();
    const state = session.state as SessionState;
    const at = Date.now();
    const userEntry: NewEntry = { kind: "message", role: "user", text };
    this.publishStream(scope.orgId, sessionId, { type: "user-message", text, at });

    if (session.status === "human") {
      sessionCacheFor(scope.db).forget(sessionId);
      state.messages.push({ id: crypto.randomUUID(), role: "user", content: text, at });
      await scope.db.transaction(async (tx) => {
        await appendEntries(new OrgScope(tx, scope.orgId), sessionId, [userEntry]);
        await tx
          .update(sessions)
          .set({ state, lastActivityAt: new Date() })
          .where(scope.where(sessions, eq(sessions.id, sessionId)));
      });
      return this.emptyTurn(state.activeAgent, "human", session.status);
    }

    const loaded = await loadDirectory(scope, session.pinnedVersions as Record<string, number>, (ids) =>
      this.deps.toolsFor(scope, ids),
    );
    const limit = this.limitReached(session, loaded);
    if (limit) {
      sessionCacheFor(scope.db).forget(sessionId);
      return this.endForLimit(scope, session, limit, listener, userEntry);
    }

    const models = await this.deps.models.resolve(scope, loaded.modelRefs);
    const controller = new AbortController();
    this.running.set(sessionId.toLowerCase(), { controller });
    // The caller's words are written with the reply, as one unit; if the turn fails they
    // are written with the failure instead.
    const entries: NewEntry[] = [userEntry];
    let turnId = "";
    try {
      const turn = runTurn({
        agents: loaded.directory,
        state,
        input: text,
        models,
        retriever: knowledgeRetriever(scope, this.deps.embeddings, this.deps.logger),
        signal: controller.signal,
        context: { orgId: scope.orgId, sessionId, channel: session.channel, caller: session.caller },
      });
      // Events are consumed here whatever the client does, so a dropped connection never
      // cancels the turn; the client can reconnect and read the transcript.
      for await (const event of turn) {
        if (event.type === "turn-start") turnId = event.turnId;
        const entry = entryFor(event, turnId);
        if (entry) entries.push(entry);
        if (event.type !== "message" && event.type !== "turn-start" && event.type !== "turn-end") {
          this.emit(listener, scope.orgId, sessionId, event);
        }
      }
      const result = await turn.result;
      const summary = await this.finishTurn(scope, session, loaded, result, entries, turnId);
      this.emit(listener, scope.orgId, sessionId, { type: "turn-end", ...summary });
      return summary;
    } catch (error) {
      // Whether a failed commit reached the database is not known: read the row next time.
      sessionCacheFor(scope.db).forget(sessionId);
      await this.recordFailedTurn(scope, sessionId, entries, error);
      throw error;
    } finally {
      if (this.running.get(sessionId.toLowerCase())?.controller === controller)
        this.running.delete(sessionId.toLowerCase());
    }
  }

  private async finishTurn(
    scope: OrgScope,
    session: SessionRow,
    loaded: LoadedDirectory,
    result: TurnResult,
    entries: NewEntry[],
    turnId: string,
  ): Promise<TurnSummary> {
    const state = result.state;
    const activeConfig = loaded.configs.get(state.activeAgent);
    const costUsd = activeConfig
      ? estimateCostUsd(this.deps.prices, activeConfig.model.model, result.usage)
      : 0;
    let status: SessionStatus = session.status;
    if (state.ended) status = "ended";
    else if (state.needsHuman && status === "active") status = "needs_human";
    const turnEntry: NewEntry = {
      kind: "turn",
      agent: state.activeAgent,
      turnId,
      data: { reason: result.reason, usage: result.usage, latency: result.latency, costUsd },
    };
    let notification: TurnCommit["notification"];
    if (status === "needs_human" && session.status !== "needs_human") {
      const reason = entries.find((e) => (e.data as { type?: string } | undefined)?.type === "needs-human");
      notification = {
        title: "A caller needs a person",
        body: (
          (reason?.data as { detail?: string } | undefined)?.detail ?? "The agent asked for a human."
        ).slice(0, 500),
      };
    }
    const { version, stateJson, ...changed } = await this.writer.commit(scope, session.id, {
      entries: [...entries, turnEntry],
      state,
      status,
      usage: result.usage,
      costUsd,
      notification,
    });
    const { state: _before, ...unchanged } = session;
    const updated = { ...unchanged, ...changed };
    sessionCacheFor(scope.db).set(updated, stateJson, version);
    const { bus } = this.deps;
    bus.publish(scope.orgId, "turn.completed", {
      sessionId: session.id,
      turnId,
      reason: result.reason,
      usage: result.usage,
    });
    if (updated.status !== session.status) {
      bus.publish(
        scope.orgId,
        updated.status === "ended" ? "session.ended" : "session.updated",
        sessionEventData(updated),
      );
      if (updated.status === "needs_human") {
        bus.publish(scope.orgId, "notification.created", { sessionId: session.id, kind: "needs_human" });
      }
    }
    return {
      turnId,
      agent: state.activeAgent,
      reason: result.reason,
      text: result.text,
      citations: result.citations,
      usage: result.usage,
      latency: result.latency,
      costUsd,
      sessionStatus: updated.status,
    };
  }

  /**
   * A turn that failed before it could be committed still leaves the caller's words and
   * what went wrong in the transcript (unless the failure was the commit itself).
   */
  private async recordFailedTurn(
    scope: OrgScope,
    sessionId: string,
    entries: NewEntry[],
    error: unknown,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    try {
      await appendEntries(scope, sessionId, [
        ...entries,
        { kind: "event", data: { type: "turn-failed", message: message.slice(0, 500), at: Date.now() } },
      ]);
    } catch (writeError) {
      this.deps.logger.error({ err: writeError, sessionId }, "could not record a failed turn");
    }
  }

  private limitReached(session: SessionRow, loaded: LoadedDirectory): string | undefined {
    const config = loaded.configs.get(session.activeAgent);
    if (!config) return undefined;
    if (session.turnCount >= config.limits.maxTurns) return "max-turns";
    const minutes = (Date.now() - session.startedAt.getTime()) / 60_000;
    if (minutes >= config.limits.maxSessionMinutes) return "max-session-minutes";
    return undefined;
  }

  private async endForLimit(
    scope: OrgScope,
    session: SessionRow,
    reason: string,
    listener: TurnListener | undefined,
    userEntry: NewEntry,
  ) {
    const at = Date.now();
    await appendEntries(scope, session.id, [
      userEntry,
      { kind: "event", data: { type: "session-end", reason, at } },
    ]);
    const updated = await this.setStatus(scope, session, "ended", { endReason: reason, endedAt: new Date() });
    const event: ClientEvent = { type: "session-end", agent: session.activeAgent, reason, at };
    listener?.(event);
    this.publishStream(scope.orgId, session.id, event);
    const summary = this.emptyTurn(session.activeAgent, reason, updated.status);
    listener?.({ type: "turn-end", ...summary });
    return summary;
  }

  private emptyTurn(agent: string, reason: string, status: SessionStatus): TurnSummary {
    return {
      turnId: "",
      agent,
      reason,
      text: "",
      citations: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      latency: null,
      costUsd: 0,
      sessionStatus: status,
    };
  }

  /**
   * A turn's event to the caller's listener (whose failure must not stop the turn) and to
   * the session's watchers. A method rather than a closure per turn: closures made on the
   * hot path are named at run time (keepNames), which costs more than the call.
   */
  private emit(
    listener: TurnListener | undefined,
    orgId: string,
    sessionId: string,
    event: ClientEvent,
  ): void {
    try {
      listener?.(event);
    } catch {}
    this.publishStream(orgId, sessionId, event);
  }

  private publishStream(orgId: string, sessionId: string, event: ClientEvent | TurnEvent): void {
    this.deps.bus.publish(orgId, "session.stream", { sessionId, event });
  }
}

export function sessionEventData(
  s: Pick<
    SessionRow,
    "id" | "agentId" | "channel" | "status" | "activeAgent" | "startedAt" | "lastActivityAt"
  >,
) {
  return {
    id: s.id,
    agentId: s.agentId,
    channel: s.channel,
    status: s.status,
    activeAgent: s.activeAgent,
    startedAt: s.startedAt.toISOString(),
    lastActivityAt: s.lastActivityAt.toISOString(),
  };
}

export type { AgentDefinition };
