import { ValidationError } from "@oratio/core";
import { callHttpTool } from "./http-call.ts";
import { compileArgsValidator, issuesText } from "./json-schema.ts";
import { callMcpTool, listMcpTools } from "./mcp-client.ts";
import {
  definitionOfRow,
  forModel,
  lenientValidator,
  mcpToolName,
  type ToolExecutorDeps,
  type ToolRow,
} from "./org-tools.ts";

export interface DryRunInput {
  arguments: Record<string, unknown>;
  /** For an MCP server: the server tool to call; without it the server's tools are listed. */
  tool?: string | undefined;
}

export interface DryRunResult {
  ok: boolean;
  /** HTTP status of the endpoint's last answer (HTTP tools). */
  status?: number;
  attempts?: number;
  durationMs: number;
  /** What the model would read. */
  result?: unknown;
  error?: string;
}

/**
 * Runs a custom tool once against its real endpoint, as an agent would. Arguments that do
 * not match the schema are refused with a ValidationError naming each field, before any
 * request leaves.
 */
export async function dryRunTool(
  deps: ToolExecutorDeps,
  row: ToolRow,
  input: DryRunInput,
  signal?: AbortSignal,
): Promise<DryRunResult> {
  const { definition, secret } = definitionOfRow(deps, row);
  const options = { secret, allowList: deps.config.fetchAllow, signal };
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  if (definition.kind === "http") {
    if (input.tool !== undefined) throw invalid("body.tool", "only MCP tools take a tool name");
    assertArguments(compileArgsValidator(definition.parameters), input.arguments);
    try {
      const outcome = await callHttpTool(definition, input.arguments, options);
      const base = { ok: outcome.ok, status: outcome.status, attempts: outcome.attempts };
      return outcome.ok
        ? { ...base, durationMs: elapsed(), result: forModel(outcome.text) }
        : { ...base, durationMs: elapsed(), error: outcome.text };
    } catch (error) {
      signal?.throwIfAborted();
      return { ok: false, durationMs: elapsed(), error: (error as Error).message };
    }
  }

  try {
    const listed = await listMcpTools(definition, options);
    if (input.tool === undefined) {
      const result = listed.map((t) => ({
        name: t.name,
        exposedAs: mcpToolName(definition.name, t.name),
        description: t.description,
        inputSchema: t.inputSchema,
      }));
      return { ok: true, durationMs: elapsed(), result };
    }
    const info = listed.find((t) => t.name === input.tool);
    if (!info) {
      throw invalid(
        "body.tool",
        `the server offers no allowed tool "${input.tool}" (it has: ${listed.map((t) => t.name).join(", ") || "none"})`,
      );
    }
    assertArguments(lenientValidator(info.inputSchema), input.arguments);
    const outcome = await callMcpTool(definition, info.name, input.arguments, options);
    const text = forModel(outcome.text);
    return outcome.ok
      ? { ok: true, durationMs: elapsed(), result: text }
      : { ok: false, durationMs: elapsed(), error: text };
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    signal?.throwIfAborted();
    return { ok: false, durationMs: elapsed(), error: (error as Error).message };
  }
}

function assertArguments(validate: ReturnType<typeof compileArgsValidator>, args: unknown): void {
  const result = validate(args);
  if (result.ok) return;
  throw new ValidationError(
    `The arguments do not match the tool's parameters: ${issuesText(result.issues)}.`,
    result.issues.map((issue) => ({
      path: issue.path === "(arguments)" ? "body.arguments" : `body.arguments.${issue.path}`,
      message: issue.message,
    })),
  );
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path.replace(/^body\./, "")}: ${message}.`, [{ path, message }]);
}
