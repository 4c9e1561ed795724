import { type ChatMessage, type LanguageModel, UnprocessableError } from "@oratio/core";
import { z } from "zod";

/** One model call as the generation report shows it. */
export interface ModelCallRecord {
  stage: string;
  purpose: string;
  attempt: number;
  inputChars: number;
  outputChars: number;
  inputTokens: number;
  outputTokens: number;
  ms: number;
  valid: boolean;
  error?: string;
}

/** Marks where the machine-readable input of a builder prompt starts; models and tests read what follows. */
export const INPUT_MARKER = "INPUT (JSON):";

export interface StructuredRequest<T> {
  stage: string;
  purpose: string;
  /** The JSON output's name, e.g. `business_profile`; tells the model (and scripted models) what is asked. */
  name: string;
  system: string;
  task: string;
  input: unknown;
  schema: z.ZodType<T>;
  maxTokens?: number;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** Models sometimes wrap JSON in a code fence despite the response format; accept that. */
function parseJson(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(trimmed);
  return JSON.parse(fenced ? fenced[1]! : trimmed);
}

/**
 * Asks a model for JSON that must satisfy a zod schema. The schema goes to the model as
 * the response format (local models turn it into a grammar); output that still fails
 * validation is sent back once with the validation error, then the call fails.
 */
export async function callStructured<T>(
  model: LanguageModel,
  request: StructuredRequest<T>,
  log: ModelCallRecord[],
  signal: AbortSignal,
): Promise<T> {
  const jsonSchema = z.toJSONSchema(request.schema, { io: "output", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  const messages: ChatMessage[] = [
    { role: "user", content: `${request.task}\n\n${INPUT_MARKER}\n${JSON.stringify(request.input)}` },
  ];
  let lastError = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    signal.throwIfAborted();
    const started = performance.now();
    let text = "";
    let usage = { inputTokens: 0, outputTokens: 0 };
    for await (const part of model.stream(
      {
        system: request.system,
        messages,
        temperature: 0,
        ...(request.maxTokens ? { maxTokens: request.maxTokens } : {}),
        responseFormat: { type: "json", schema: jsonSchema, name: request.name },
      },
      { signal },
    )) {
      if (part.type === "text-delta") text += part.text;
      else if (part.type === "finish") usage = part.usage;
    }
    const record: ModelCallRecord = {
      stage: request.stage,
      purpose: request.purpose,
      attempt,
      inputChars: (request.system.length ?? 0) + messages.reduce((n, m) => n + m.content.length, 0),
      outputChars: text.length,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      ms: Math.round(performance.now() - started),
      valid: false,
    };
    log.push(record);
    let parsed: unknown;
    try {
      parsed = parseJson(text);
    } catch (error) {
      lastError = `The output is not JSON: ${(error as Error).message}`;
      record.error = lastError;
      messages.push({ role: "assistant", content: text }, { role: "user", content: retryPrompt(lastError) });
      continue;
    }
    const result = request.schema.safeParse(parsed);
    if (result.success) {
      record.valid = true;
      return result.data;
    }
    lastError = describeIssues(result.error);
    record.error = lastError;
    messages.push({ role: "assistant", content: text }, { role: "user", content: retryPrompt(lastError) });
  }
  throw new UnprocessableError(
    `The model's ${request.purpose} output was invalid twice (${lastError.slice(0, 500)}).`,
  );
}

function retryPrompt(error: string): string {
  return `That output does not match the required JSON schema: ${error}. Answer again with corrected JSON only.`;
}
