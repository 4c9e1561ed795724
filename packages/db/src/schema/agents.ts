import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, users } from "./accounts.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const PROVIDER_TYPES = [
  "openai",
  "anthropic",
  "google",
  "bedrock",
  "openai-compatible",
  "local",
  // Speech-only vendors: voice settings name them (voice.stt/tts.providerId); they run no LLM.
  "deepgram",
  "elevenlabs",
  "cartesia",
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
/** Provider types that only offer speech, never a language model. */
export const SPEECH_ONLY_PROVIDER_TYPES = ["deepgram", "elevenlabs", "cartesia"] as const;

/** LLM (and speech) provider credentials of an organization; the API key is encrypted at rest. */
export const providers = pgTable(
  "providers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type", { enum: PROVIDER_TYPES }).notNull(),
    baseUrl: text("base_url"),
    /** AES-256-GCM ciphertext (see server `crypto/secret-box.ts`); never returned by the API. */
    apiKeyEncrypted: text("api_key_encrypted"),
    options: jsonb("options").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("providers_org_idx").on(t.orgId)],
);

/**
 * An agent is a name plus a sequence of immutable versions; `published_version` is the
 * one new sessions start on. Deleting an agent archives it so past transcripts keep it.
 */
export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    latestVersion: integer("latest_version").notNull().default(1),
    publishedVersion: integer("published_version"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("agents_org_slug_key").on(t.orgId, t.slug), index("agents_org_idx").on(t.orgId)],
);

export const agentVersions = pgTable(
  "agent_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** The full agent configuration as accepted by the API (see server `agents.schemas.ts`). */
    config: jsonb("config").notNull(),
    note: text("note"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("agent_versions_agent_version_key").on(t.agentId, t.version)],
);

export const TOOL_KINDS = ["http", "mcp"] as const;

/** Custom tools an organization defines: HTTP endpoints or MCP servers. */
export const tools = pgTable(
  "tools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: TOOL_KINDS }).notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Kind-specific definition (JSON-schema parameters, method, URL template, headers, limits). */
    definition: jsonb("definition").notNull(),
    secretEncrypted: text("secret_encrypted"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tools_org_name_key").on(t.orgId, t.name)],
);
