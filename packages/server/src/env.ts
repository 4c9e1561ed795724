import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type AllowList, parseAllowList } from "@oratio/net";
import { z } from "zod";
import { DEFAULT_MODEL_PRICES } from "./conversation/pricing.ts";

/**
 * The one place configuration is read. Every setting has an embedded default so a fresh
 * clone starts with no configuration at all; a bad value stops start-up with a message
 * naming the variable.
 */
const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const positiveInt = z.coerce.number().int().positive();
const commaList = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  ORATIO_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  ORATIO_MODELS_DIR: z.string().min(1).optional(),
  ORATIO_MODEL_CATALOGUE: z.string().min(1).optional(),
  ORATIO_EVENTS_HEARTBEAT_MS: positiveInt.default(15_000),
  ORATIO_EVENTS_MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  ORATIO_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  ORATIO_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ORATIO_CORS_ORIGINS: commaList.default([]),
  ORATIO_BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  ORATIO_ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(15 * 60),
  ORATIO_REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 60 * 60),
  ORATIO_INVITATION_TTL_SECONDS: positiveInt.default(7 * 24 * 60 * 60),
  ORATIO_RATE_LIMIT_PER_IP: positiveInt.default(600),
  ORATIO_RATE_LIMIT_PER_KEY: positiveInt.default(1200),
  ORATIO_RATE_LIMIT_AUTH_PER_IP: positiveInt.default(30),
  ORATIO_TRUST_PROXY: boolean.default(false),
  ORATIO_FETCH_ALLOW: z.string().default(""),
  ORATIO_UPLOAD_MAX_BYTES: positiveInt.default(25 * 1024 * 1024),
  ORATIO_UPLOAD_MAX_FILES: positiveInt.default(20),
  ORATIO_MODEL_PRICES: z.string().default("{}"),
  ORATIO_VOICE_STT_FINAL_TIMEOUT_MS: positiveInt.default(10_000),
  ORATIO_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(100),
  ORATIO_DASHBOARD_DIR: z.string().min(1).optional(),
});

export type RawEnv = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  modelsDir: string;
  /** An operator model catalogue (JSON file path or http(s) URL) added to the built-in one. */
  modelCatalogue: string | undefined;
  /**
   * Live event streams: keep-alive interval (SSE comment, WebSocket ping and heartbeat) and
   * the most a WebSocket may have queued for a slow reader before it is closed.
   */
  events: { heartbeatMs: number; maxBufferedBytes: number };
  /** Undefined means: generate one and keep it under the data dir. */
  secretKey: string | undefined;
  logLevel: z.infer<typeof envSchema>["ORATIO_LOG_LEVEL"];
  corsOrigins: string[];
  bodyLimitBytes: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  invitationTtlSeconds: number;
  rateLimit: { perIp: number; perKey: number; authPerIp: number };
  trustProxy: boolean;
  /** Private or local destinations outbound requests may reach (crawler, tools, webhooks, model servers). */
  fetchAllow: AllowList;
  upload: { maxBytes: number; maxFiles: number };
  /** How long a voice turn waits for the recogniser's final transcript after the caller stops. */
  voiceSttFinalTimeoutMs: number;
  /** V8 heap growth factor in percent over the live heap (0: V8's heuristic); see heap-tuning.ts. */
  heapGrowthPercent: number;
  /** US dollars per million input and output tokens, by model id. */
  modelPrices: Record<string, [number, number]>;
  /** Built dashboard (packages/web/dist). */
  dashboardDir: string;
}

export class ConfigError extends Error {}

const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

const PricesSchema = z.record(z.string(), z.tuple([z.number().min(0), z.number().min(0)]));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parsePrices(text: string): Record<string, [number, number]> {
  return PricesSchema.parse(safeJson(text));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" so `FOO=` in a .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema
    .superRefine((e, ctx) => {
      try {
        parseAllowList(e.ORATIO_FETCH_ALLOW);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["ORATIO_FETCH_ALLOW"], message: (error as Error).message });
      }
      if (!PricesSchema.safeParse(safeJson(e.ORATIO_MODEL_PRICES)).success) {
        ctx.addIssue({
          code: "custom",
          path: ["ORATIO_MODEL_PRICES"],
          message: 'must be JSON like {"model-id": [inputUsdPerMillion, outputUsdPerMillion]}',
        });
      }
    })
    .safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.ORATIO_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    modelsDir: path.resolve(e.ORATIO_MODELS_DIR ?? path.join(dataDir, "models")),
    modelCatalogue:
      e.ORATIO_MODEL_CATALOGUE && !/^https?:\/\//i.test(e.ORATIO_MODEL_CATALOGUE)
        ? path.resolve(e.ORATIO_MODEL_CATALOGUE)
        : e.ORATIO_MODEL_CATALOGUE,
    events: {
      heartbeatMs: e.ORATIO_EVENTS_HEARTBEAT_MS,
      maxBufferedBytes: e.ORATIO_EVENTS_MAX_BUFFERED_BYTES,
    },
    secretKey: e.ORATIO_SECRET_KEY,
    logLevel: e.ORATIO_LOG_LEVEL,
    corsOrigins: e.ORATIO_CORS_ORIGINS,
    bodyLimitBytes: e.ORATIO_BODY_LIMIT_BYTES,
    accessTokenTtlSeconds: e.ORATIO_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.ORATIO_REFRESH_TOKEN_TTL_SECONDS,
    invitationTtlSeconds: e.ORATIO_INVITATION_TTL_SECONDS,
    rateLimit: {
      perIp: e.ORATIO_RATE_LIMIT_PER_IP,
      perKey: e.ORATIO_RATE_LIMIT_PER_KEY,
      authPerIp: e.ORATIO_RATE_LIMIT_AUTH_PER_IP,
    },
    trustProxy: e.ORATIO_TRUST_PROXY,
    fetchAllow: parseAllowList(e.ORATIO_FETCH_ALLOW),
    upload: { maxBytes: e.ORATIO_UPLOAD_MAX_BYTES, maxFiles: e.ORATIO_UPLOAD_MAX_FILES },
    voiceSttFinalTimeoutMs: e.ORATIO_VOICE_STT_FINAL_TIMEOUT_MS,
    heapGrowthPercent: e.ORATIO_HEAP_GROWTH_PERCENT,
    modelPrices: { ...DEFAULT_MODEL_PRICES, ...parsePrices(e.ORATIO_MODEL_PRICES) },
    dashboardDir: path.resolve(e.ORATIO_DASHBOARD_DIR ?? DEFAULT_DASHBOARD_DIR),
  };
}

/** Loads `./.env` into process.env (real environment variables win). */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
