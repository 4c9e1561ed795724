import { z } from "@hono/zod-openapi";
import { Timestamp } from "../../lib/openapi.ts";

/** `local` is the embedded model runtime (GGUF files in the model store); no credentials needed. */
export const ProviderRef = z.union([z.uuid(), z.literal("local")]);

export const ModelRefSchema = z
  .strictObject({
    providerId: ProviderRef,
    model: z.string().trim().min(1).max(200).openapi({ example: "gpt-4o-mini" }),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(64_000).optional(),
  })
  .openapi("ModelRef");

export const HANDOFF_CONTEXTS = ["full", "summary", "none"] as const;

export const HandoffSchema = z
  .strictObject({
    agentId: z.uuid(),
    context: z.enum(HANDOFF_CONTEXTS).default("full"),
    description: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: "When to hand off; shown to the model" }),
  })
  .openapi("Handoff");

export const HumanHandoffSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    /** Hand over when the caller asks for a person this many times. */
    maxHumanRequests: z.number().int().min(1).max(10).default(2),
    /** Hand over after this many failed tool calls in a session. */
    maxToolFailures: z.number().int().min(1).max(20).default(3),
    message: z.string().max(500).optional(),
  })
  .openapi("HumanHandoffRules");

export const STT_PROVIDERS = ["pocketsphinx", "whisper", "deepgram", "openai"] as const;
export const TTS_PROVIDERS = ["flite", "piper", "kokoro", "elevenlabs", "openai", "cartesia"] as const;

export const VoiceSettingsSchema = z
  .strictObject({
    stt: z
      .strictObject({
        provider: z.enum(STT_PROVIDERS),
        model: z.string().max(200).optional(),
        language: z.string().max(20).optional(),
        providerId: z.uuid().optional(),
      })
      .default({ provider: "pocketsphinx" }),
    tts: z
      .strictObject({
        provider: z.enum(TTS_PROVIDERS),
        voice: z.string().max(200).optional(),
        /** Vendor model id (cloud) or model folder in the store (Piper, Kokoro). */
        model: z.string().max(200).optional(),
        providerId: z.uuid().optional(),
      })
      .default({ provider: "flite" }),
    endpointingMs: z.number().int().min(100).max(5000).optional(),
    interruption: z
      .strictObject({
        enabled: z.boolean().default(true),
        minSpeechMs: z.number().int().min(50).max(2000).optional(),
        falseInterruptionMs: z.number().int().min(100).max(5000).optional(),
      })
      .optional(),
    idleTimeoutMs: z.number().int().min(1000).max(600_000).optional(),
    idleReprompt: z.string().max(500).optional(),
  })
  .openapi("VoiceSettings");

export const LimitsSchema = z
  .strictObject({
    maxTurns: z.number().int().min(1).max(1000).default(50),
    maxSessionMinutes: z.number().int().min(1).max(1440).default(30),
    maxToolCalls: z.number().int().min(1).max(500).default(25),
  })
  .openapi("AgentLimits");

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const configFields = {
  name: z.string().trim().min(1).max(100).openapi({ example: "Receptionist" }),
  slug: z.string().min(1).max(60).regex(SLUG, "lowercase letters, digits and single dashes").optional(),
  instructions: z
    .string()
    .min(1)
    .max(50_000)
    .openapi({ example: "You are the front desk of Brightsmile Dental…" }),
  greeting: z.string().max(1000).optional(),
  /** What the agent says when a conversation is handed to it. */
  onEnter: z.string().max(1000).optional(),
  language: z.string().min(2).max(20).default("en"),
  model: ModelRefSchema,
  fallbacks: z.array(ModelRefSchema).max(5).default([]),
  knowledgeBaseIds: z.array(z.uuid()).max(50).default([]),
  toolIds: z.array(z.uuid()).max(100).default([]),
  handoffs: z.array(HandoffSchema).max(20).default([]),
  humanHandoff: HumanHandoffSchema.default({
    enabled: true,
    keywords: [],
    maxHumanRequests: 2,
    maxToolFailures: 3,
  }),
  voice: VoiceSettingsSchema.optional(),
  limits: LimitsSchema.default({ maxTurns: 50, maxSessionMinutes: 30, maxToolCalls: 25 }),
};

export const AgentConfigSchema = z.strictObject(configFields).openapi("AgentConfig");
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** PATCH: any subset of the fields; omitted ones keep their current value. */
export const AgentPatchSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(configFields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as {
      [K in keyof typeof configFields]: z.ZodOptional<(typeof configFields)[K]>;
    },
  )
  .openapi("AgentPatch");

export const AgentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    status: z.enum(["published", "draft"]),
    latestVersion: z.number().int(),
    publishedVersion: z.number().int().nullable(),
    config: AgentConfigSchema.openapi({ description: "Configuration of the latest version" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Agent");

export const AgentVersionSchema = z
  .object({
    version: z.number().int(),
    published: z.boolean(),
    note: z.string().nullable(),
    config: AgentConfigSchema,
    createdAt: Timestamp,
  })
  .openapi("AgentVersion");

export const AgentExportSchema = z
  .object({
    format: z.literal("oratio.agents"),
    version: z.literal(1),
    exportedAt: Timestamp.optional(),
    agents: z
      .array(
        z.object({
          slug: z.string().regex(SLUG),
          /** Handoff targets name agents of the set by slug, so the set can move between organizations. */
          config: AgentConfigSchema.omit({ handoffs: true }).extend({
            handoffs: z
              .array(
                z.strictObject({
                  agentSlug: z.string(),
                  context: z.enum(HANDOFF_CONTEXTS),
                  description: z.string().optional(),
                }),
              )
              .default([]),
          }),
        }),
      )
      .min(1)
      .max(100),
  })
  .openapi("AgentExport");
export type AgentExport = z.infer<typeof AgentExportSchema>;
