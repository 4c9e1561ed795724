import {
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organizations, users } from "./accounts.ts";
import { agents } from "./agents.ts";

export const CHANNELS = ["chat", "voice", "phone", "api"] as const;
export type Channel = (typeof CHANNELS)[number];

/** `human`: an operator has taken over and the agent is paused. */
export const SESSION_STATUSES = ["active", "needs_human", "human", "ended"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id),
    agentVersion: integer("agent_version").notNull(),
    /** Agent versions this session runs on, by agent id: the entry agent and every handoff target it can reach. */
    pinnedVersions: jsonb("pinned_versions").notNull().default({}),
    /** Slug of the agent currently answering (changes on handoff). */
    activeAgent: text("active_agent").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    status: text("status", { enum: SESSION_STATUSES }).notNull().default("active"),
    metadata: jsonb("metadata").notNull().default({}),
    caller: text("caller"),
    /** The conversation runtime's state between turns (messages, counters, handoff history). */
    state: jsonb("state").notNull(),
    turnCount: integer("turn_count").notNull().default(0),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    takenOverBy: uuid("taken_over_by").references(() => users.id, { onDelete: "set null" }),
    endReason: text("end_reason"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("sessions_org_started_idx").on(t.orgId, t.startedAt),
    index("sessions_org_status_idx").on(t.orgId, t.status),
    index("sessions_agent_idx").on(t.agentId),
  ],
);

/**
 * The transcript: every message, tool call and result, handoff, citation, system event and
 * per-turn record, in order (`seq`). `kind` says how to read `data`.
 */
export const sessionEntries = pgTable(
  "session_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind").notNull(),
    /** user, assistant, operator, tool or system, for message entries. */
    role: text("role"),
    agent: text("agent"),
    /** Plain text of messages, for display and search. */
    text: text("text"),
    data: jsonb("data").notNull().default({}),
    turnId: text("turn_id"),
    /** Voice sessions: where this entry sits in the recording. */
    audioOffsetMs: integer("audio_offset_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("session_entries_seq_key").on(t.sessionId, t.seq)],
);

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    sessionId: uuid("session_id").references(() => sessions.id, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notifications_org_idx").on(t.orgId, t.createdAt)],
);
