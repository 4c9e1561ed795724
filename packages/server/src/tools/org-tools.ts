import type { Tool, ToolArgsCheck, ToolRateLimit } from "@oratio/core";
import { type OrgScope, tools } from "@oratio/db";
import type { AllowList } from "@oratio/net";
import { inArray } from "drizzle-orm";
import type { Logger } from "pino";
import { openSecret } from "../crypto/secret-box.ts";
import {
  type HttpToolDefinition,
  type McpToolDefinition,
  type ToolDefinition,
  ToolDefinitionSchema,
} from "./definition.ts";
import { callHttpTool, httpCallBudgetMs } from "./http-call.ts";
import { type ArgsValidator, compileArgsValidator, issuesText } from "./json-schema.ts";
import { callMcpTool, listMcpTools, type McpToolInfo } from "./mcp-client.ts";

/** The services the executor needs; `AppDeps` satisfies it. */
export interface ToolExecutorDeps {
  config: { fetchAllow: AllowList };
  keyring: { encryption: Buffer };
  logger: Pick<Logger, "warn">;
}

/** A core Tool built from an organization's custom tool, with what the run loop should know about it. */
export interface OrgTool extends Tool<Record<string, unknown>> {
  /** Id of the custom tool (HTTP endpoint or MCP server) this came from. */
  readonly sourceId: string;
  readonly kind: "http" | "mcp";
  /** Per-session sliding-window limit to pass to the run loop (`AgentLimits.toolRateLimits`). */
  readonly rateLimit?: ToolRateLimit;
}

export type ToolRow = typeof tools.$inferSelect;

/** Longest tool answer handed to a model; longer ones are cut with a note saying so. */
export const MODEL_TEXT_LIMIT = 16_000;

/** Separates an MCP server's name from its tool's name in the name the model sees. */
export const MCP_NAME_SEPARATOR = "__";

/**
 * Builds the core tools for an agent's `toolIds`, ready for the run loop:
 * - an HTTP tool becomes one Tool named as defined;
 * - an MCP server becomes one Tool per allowed server tool, named `<server name>__<tool name>`
 *   (characters model APIs refuse become `_`, cut to 64), so two servers cannot collide.
 * Ids that no longer exist, MCP servers that cannot be reached and duplicate names are
 * skipped with a warning: one broken integration must not stop the conversation.
 */
export async function buildOrgTools(
  deps: ToolExecutorDeps,
  scope: OrgScope,
  toolIds: readonly string[],
  options: { signal?: AbortSignal } = {},
): Promise<OrgTool[]> {
  if (toolIds.length === 0) return [];
  const rows = await scope.db
    .select()
    .from(tools)
    .where(scope.where(tools, inArray(tools.id, [...toolIds])));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const groups = await Promise.all(
    toolIds.map(async (id) => {
      const row = byId.get(id);
      if (!row) {
        deps.logger.warn({ toolId: id }, "agent names a tool that no longer exists; skipped");
        return [];
      }
      try {
        return await toolsOfRow(deps, row, options.signal);
      } catch (error) {
        options.signal?.throwIfAborted();
        deps.logger.warn({ toolId: id, err: error }, "custom tool unavailable; skipped for this session");
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const result: OrgTool[] = [];
  for (const tool of groups.flat()) {
    if (seen.has(tool.name)) {
      deps.logger.warn({ tool: tool.name, toolId: tool.sourceId }, "duplicate tool name; skipped");
      continue;
    }
    seen.add(tool.name);
    result.push(tool);
  }
  return result;
}

/** Rate limits of built tools, keyed by name, in the shape `AgentLimits.toolRateLimits` takes. */
export function toolRateLimits(built: readonly OrgTool[]): Record<string, ToolRateLimit> {
  return Object.fromEntries(built.flatMap((t) => (t.rateLimit ? [[t.name, t.rateLimit]] : [])));
}

/** The full definition of a stored row (defaults applied), with its secret opened. */
export function definitionOfRow(
  deps: Pick<ToolExecutorDeps, "keyring">,
  row: ToolRow,
): { definition: ToolDefinition; secret: string | undefined } {
  const definition = ToolDefinitionSchema.parse({
    ...(row.definition as object),
    kind: row.kind,
    name: row.name,
    description: row.description,
  });
  const secret = row.secretEncrypted ? openSecret(deps.keyring.encryption, row.secretEncrypted) : undefined;
  return { definition, secret };
}

async function toolsOfRow(deps: ToolExecutorDeps, row: ToolRow, signal?: AbortSignal): Promise<OrgTool[]> {
  const { definition, secret } = definitionOfRow(deps, row);
  const allowList = deps.config.fetchAllow;
  if (definition.kind === "http") return [httpTool(row.id, definition, secret, allowList)];
  const listed = await listMcpTools(definition, { secret, allowList, signal });
  return listed.map((info) => mcpTool(row.id, definition, info, secret, allowList));
}

export function httpTool(
  sourceId: string,
  definition: HttpToolDefinition,
  secret: string | undefined,
  allowList: AllowList,
): OrgTool {
  const validate = compileArgsValidator(definition.parameters);
  return {
    sourceId,
    kind: "http",
    name: definition.name,
    description: definition.description,
    parameters: definition.parameters,
    timeoutMs: httpCallBudgetMs(definition),
    rateLimit: rateLimitOf(definition),
    checkArgs: (args) => checkWith(validate, args),
    async execute(args, ctx) {
      // The run loop validates first; checking again keeps every other caller honest too.
      const checked = checkWith(validate, args);
      if (!checked.ok) throw new Error(`invalid arguments: ${checked.message}`);
      const outcome = await callHttpTool(definition, checked.value, {
        secret,
        allowList,
        signal: ctx.signal,
      });
      if (!outcome.ok) throw new Error(outcome.text);
      return forModel(outcome.text);
    },
  };
}

function mcpTool(
  sourceId: string,
  definition: McpToolDefinition,
  info: McpToolInfo,
  secret: string | undefined,
  allowList: AllowList,
): OrgTool {
  const validate = lenientValidator(info.inputSchema);
  return {
    sourceId,
    kind: "mcp",
    name: mcpToolName(definition.name, info.name),
    description: info.description,
    parameters: info.inputSchema,
    timeoutMs: definition.timeoutMs,
    rateLimit: rateLimitOf(definition),
    checkArgs: (args) => checkWith(validate, args),
    async execute(args, ctx) {
      const checked = checkWith(validate, args);
      if (!checked.ok) throw new Error(`invalid arguments: ${checked.message}`);
      const outcome = await callMcpTool(definition, info.name, checked.value, {
        secret,
        allowList,
        signal: ctx.signal,
      });
      if (!outcome.ok) throw new Error(forModel(outcome.text));
      return forModel(outcome.text);
    },
  };
}

export function mcpToolName(serverName: string, toolName: string): string {
  return `${serverName}${MCP_NAME_SEPARATOR}${toolName.replace(/[^a-zA-Z0-9_-]/g, "_")}`.slice(0, 64);
}

/** An MCP server's schema is its own business; one ajv cannot compile is left to the server to enforce. */
export function lenientValidator(schema: Record<string, unknown>): ArgsValidator {
  try {
    return compileArgsValidator(schema);
  } catch {
    return () => ({ ok: true });
  }
}

export function checkWith(validate: ArgsValidator, args: unknown): ToolArgsCheck<Record<string, unknown>> {
  const value = args ?? {};
  const result = validate(value);
  if (!result.ok) return { ok: false, message: issuesText(result.issues) };
  if (typeof value !== "object" || Array.isArray(value))
    return { ok: false, message: "(arguments): must be an object" };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Caps what a model reads, and says so, so it does not mistake a cut answer for the whole. */
export function forModel(text: string): string {
  if (text.length <= MODEL_TEXT_LIMIT) return text;
  return `${text.slice(0, MODEL_TEXT_LIMIT)}\n[Truncated: showing ${MODEL_TEXT_LIMIT} of ${text.length} characters.]`;
}

function rateLimitOf(definition: ToolDefinition): ToolRateLimit | undefined {
  return definition.rateLimit
    ? { maxCalls: definition.rateLimit.maxCalls, windowMs: definition.rateLimit.windowSeconds * 1000 }
    : undefined;
}
