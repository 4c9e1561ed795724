import { z } from "zod";
import type { JsonSchema } from "../llm/types.ts";
import type { Citation } from "./citations.ts";

export type TransferAnswer = { accepted: true } | { accepted: false; reason: string };

/** What a tool may ask of the run loop besides returning a result. */
export interface ToolControl {
  /** Hand the conversation to another agent after this tool round; refused on loops. */
  transfer(to: string, reason?: string): TransferAnswer;
  /** Raise a `needs-human` event for this session. */
  requestHuman(reason: string): void;
  /** End the session after this tool round. */
  endSession(reason?: string): void;
}

export interface ToolContext {
  /** Aborted on barge-in, a new user message, a tool timeout or a closed client. */
  signal: AbortSignal;
  sessionId: string;
  /** Slug of the agent that called the tool. */
  agent: string;
  toolCallId: string;
  /** Caller-supplied values for tools (e.g. org id, caller number); never shown to the model. */
  context: Readonly<Record<string, unknown>>;
  /** Attach a citation to the reply. */
  cite(citation: Citation): void;
  control: ToolControl;
}

export type ToolArgsCheck<Args> = { ok: true; value: Args } | { ok: false; message: string };

export interface Tool<Args = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  /** Per-call time limit; the call's signal aborts and the model is told it timed out. */
  readonly timeoutMs?: number;
  checkArgs(args: unknown): ToolArgsCheck<Args>;
  execute(args: Args, context: ToolContext): unknown;
}

export interface ToolDefinition<Args> {
  name: string;
  description: string;
  /** A JSON Schema object, or a zod schema (converted to JSON Schema for the model). */
  parameters: JsonSchema | z.ZodType<Args>;
  timeoutMs?: number;
  execute(args: Args, context: ToolContext): unknown;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<Args = Record<string, unknown>>(definition: ToolDefinition<Args>): Tool<Args> {
  if (!TOOL_NAME.test(definition.name)) {
    throw new TypeError(`Tool name "${definition.name}" must match ${TOOL_NAME} (model APIs require it).`);
  }
  const { schema, validator } = compileParameters(definition.parameters);
  return {
    name: definition.name,
    description: definition.description,
    parameters: schema,
    timeoutMs: definition.timeoutMs,
    checkArgs(args) {
      const parsed = validator.safeParse(args);
      if (parsed.success) return { ok: true, value: parsed.data as Args };
      return { ok: false, message: describeIssues(parsed.error) };
    },
    execute: definition.execute,
  };
}

interface CompiledParameters {
  schema: JsonSchema;
  validator: z.ZodType;
}

/**
 * Tools are rebuilt for every turn (they close over the turn's context), but their
 * parameter schemas rarely change: compiled validators are kept by schema text, since
 * turning a JSON Schema into a validator costs more than the rest of a tool-free turn.
 */
const compiledByJson = new Map<string, CompiledParameters>();
const COMPILED_CACHE_LIMIT = 1000;

function compileParameters(parameters: JsonSchema | z.ZodType): CompiledParameters {
  if (parameters instanceof z.ZodType) return compileUncached(parameters);
  const key = JSON.stringify(parameters);
  let compiled = compiledByJson.get(key);
  if (!compiled) {
    compiled = compileUncached(parameters);
    if (compiledByJson.size >= COMPILED_CACHE_LIMIT)
      compiledByJson.delete(compiledByJson.keys().next().value!);
    compiledByJson.set(key, compiled);
  }
  return compiled;
}

function compileUncached(parameters: JsonSchema | z.ZodType): CompiledParameters {
  if (parameters instanceof z.ZodType) {
    return {
      schema: z.toJSONSchema(parameters, { target: "draft-2020-12" }) as JsonSchema,
      validator: parameters,
    };
  }
  try {
    return { schema: parameters, validator: z.fromJSONSchema(parameters as z.core.JSONSchema.JSONSchema) };
  } catch (error) {
    throw new TypeError(`Tool parameters are not a usable JSON Schema: ${(error as Error).message}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(arguments)"}: ${issue.message}`)
    .join("; ");
}
