import path from "node:path";
import {
  abortError,
  type ChatMessage,
  errorMessage,
  type FinishReason,
  isAbortError,
  type LanguageModel,
  type ModelRequest,
  type ModelStreamPart,
  ProviderError,
  type StreamOptions,
} from "@oratio/core";
import {
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatModelResponse,
  LlamaChat,
  LlamaCompletion,
  type LlamaContext,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { resolveModelsDir } from "../model-store/models-dir.ts";
import { llamaRuntime, loadLlamaModel } from "./llama-runtime.ts";
import { pumpText } from "./text-pump.ts";

export interface LocalModelOptions {
  /** A GGUF file: absolute, or relative to the model store (e.g. `llm/qwen2.5-0.5b.gguf`). */
  model: string;
  modelsDir?: string;
  /**
   * Threads per generation. Default 1: llama.cpp's own default (all cores) makes decoding
   * drastically slower on small shared machines where other work competes for the cores.
   */
  threads?: number;
  contextSize?: number;
  /**
   * `chat` uses the model's chat template (and function calling where the template supports
   * it); `completion` feeds a plain transcript, for base models without a template.
   * `auto` (default) picks `chat` when the GGUF declares a chat template.
   */
  mode?: "auto" | "chat" | "completion";
  seed?: number;
}

const PROVIDER = "local";

/** A GGUF model run in-process by llama.cpp through node-llama-cpp. */
export class LocalLlamaModel implements LanguageModel {
  readonly provider = PROVIDER;
  readonly modelId: string;
  readonly #options: LocalModelOptions;

  constructor(options: LocalModelOptions) {
    this.#options = options;
    this.modelId = options.model;
  }

  get modelPath(): string {
    return path.resolve(resolveModelsDir(this.#options.modelsDir), this.#options.model);
  }

  async *stream(request: ModelRequest, options: StreamOptions = {}): AsyncGenerator<ModelStreamPart> {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    let model: LlamaModel;
    let context: LlamaContext;
    try {
      model = await loadLlamaModel(this.modelPath);
      context = await model.createContext({
        contextSize: this.#options.contextSize ?? 2048,
        threads: this.#options.threads ?? 1,
        sequences: 1,
      });
    } catch (error) {
      throw new ProviderError(PROVIDER, `Cannot load ${this.modelPath}: ${errorMessage(error)}`, {
        upstreamStatus: 500,
        cause: error,
      });
    }
    try {
      if (signal?.aborted) throw abortError(signal);
      const grammar = await this.#grammar(request);
      const chat = this.#useChat(model);
      yield* chat
        ? this.#chat(context, request, grammar, signal)
        : this.#complete(model, context, request, grammar, signal);
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw abortError(signal);
      if (error instanceof ProviderError) throw error;
      throw new ProviderError(PROVIDER, `${this.modelId}: ${errorMessage(error)}`, {
        upstreamStatus: 500,
        cause: error,
      });
    } finally {
      await context.dispose();
    }
  }

  #useChat(model: LlamaModel): boolean {
    const mode = this.#options.mode ?? "auto";
    if (mode !== "auto") return mode === "chat";
    return typeof model.fileInfo.metadata?.tokenizer?.chat_template === "string";
  }

  async #grammar(request: ModelRequest): Promise<LlamaGrammar | undefined> {
    if (request.responseFormat?.type !== "json") return undefined;
    const llama = await llamaRuntime();
    const schema = request.responseFormat.schema;
    // Constrained decoding: the sampler can only produce text that parses against the schema.
    return schema
      ? llama.createGrammarForJsonSchema(schema as Parameters<typeof llama.createGrammarForJsonSchema>[0])
      : llama.getGrammarFor("json");
  }

  async *#complete(
    model: LlamaModel,
    context: LlamaContext,
    request: ModelRequest,
    grammar: LlamaGrammar | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ModelStreamPart> {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const prompt = transcriptPrompt(request);
    const stopper = new AbortController();
    const generationSignal = signal ? AbortSignal.any([signal, stopper.signal]) : stopper.signal;
    let output = "";
    let reason: FinishReason = "stop";
    try {
      for await (const text of pumpText(
        (onTextChunk) =>
          completion.generateCompletionWithMeta(prompt, {
            onTextChunk,
            signal: generationSignal,
            maxTokens: request.maxTokens,
            temperature: request.temperature,
            seed: this.#options.seed,
            grammar,
          }),
        () => stopper.abort(),
        (result) => {
          reason = result.metadata.stopReason === "maxTokens" ? "length" : "stop";
        },
      )) {
        output += text;
        yield { type: "text-delta", text };
      }
    } finally {
      completion.dispose({ disposeSequence: true });
    }
    yield {
      type: "finish",
      reason,
      usage: { inputTokens: model.tokenize(prompt).length, outputTokens: model.tokenize(output).length },
    };
  }

  async *#chat(
    context: LlamaContext,
    request: ModelRequest,
    grammar: LlamaGrammar | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ModelStreamPart> {
    const sequence = context.getSequence();
    const chat = new LlamaChat({ contextSequence: sequence });
    const stopper = new AbortController();
    const generationSignal = signal ? AbortSignal.any([signal, stopper.signal]) : stopper.signal;
    const functions = toFunctions(request);
    const calls: { functionName: string; params: unknown }[] = [];
    let reason: FinishReason = "stop";
    const before = sequence.tokenMeter.usedInputTokens;
    const beforeOut = sequence.tokenMeter.usedOutputTokens;
    try {
      for await (const text of pumpText(
        (onTextChunk) =>
          chat.generateResponse(toHistory(request), {
            onTextChunk,
            signal: generationSignal,
            maxTokens: request.maxTokens,
            temperature: request.temperature,
            seed: this.#options.seed,
            ...(functions && !grammar ? { functions } : grammar ? { grammar } : {}),
          }),
        () => stopper.abort(),
        (result) => {
          for (const call of result.functionCalls ?? []) calls.push(call);
          const stop = result.metadata.stopReason;
          reason = calls.length > 0 ? "tool-calls" : stop === "maxTokens" ? "length" : "stop";
        },
      )) {
        yield { type: "text-delta", text };
      }
    } finally {
      chat.dispose({ disposeSequence: true });
    }
    for (const [index, call] of calls.entries()) {
      yield {
        type: "tool-call",
        id: `call_${index}`,
        name: call.functionName,
        args: JSON.stringify(call.params ?? {}),
      };
    }
    yield {
      type: "finish",
      reason,
      usage: {
        inputTokens: sequence.tokenMeter.usedInputTokens - before,
        outputTokens: sequence.tokenMeter.usedOutputTokens - beforeOut,
      },
    };
  }
}

/** Plain-text transcript for base models: they continue text rather than follow a template. */
export function transcriptPrompt(request: ModelRequest): string {
  const lines: string[] = [];
  if (request.system) lines.push(request.system, "");
  for (const message of request.messages) {
    if (message.role === "user") lines.push(`User: ${message.content}`);
    else if (message.role === "assistant") lines.push(`Assistant: ${message.content}`);
    else lines.push(`Tool ${message.toolName}: ${message.content}`);
  }
  lines.push("Assistant:");
  return lines.join("\n");
}

function toFunctions(request: ModelRequest): ChatModelFunctions | undefined {
  if (!request.tools || request.tools.length === 0 || request.toolChoice === "none") return undefined;
  return Object.fromEntries(
    request.tools.map((tool) => [
      tool.name,
      { description: tool.description, params: tool.parameters as never },
    ]),
  );
}

function toHistory(request: ModelRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (request.system) history.push({ type: "system", text: request.system });
  const results = new Map<string, Extract<ChatMessage, { role: "tool" }>>();
  for (const m of request.messages) if (m.role === "tool") results.set(m.toolCallId, m);
  for (const m of request.messages) {
    if (m.role === "user") history.push({ type: "user", text: m.content });
    else if (m.role === "assistant") {
      const response: ChatModelResponse["response"] = [];
      if (m.content !== "") response.push(m.content);
      for (const call of m.toolCalls ?? []) {
        response.push({
          type: "functionCall",
          name: call.name,
          params: safeParse(call.args),
          result: results.get(call.id)?.content ?? "",
        });
      }
      history.push({ type: "model", response });
    }
  }
  // The template needs a model turn to fill in.
  history.push({ type: "model", response: [] });
  return history;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
