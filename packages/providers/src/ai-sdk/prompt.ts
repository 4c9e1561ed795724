import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
} from "@ai-sdk/provider";
import type { ChatMessage, ModelRequest } from "@oratio/core";

/** Maps the core request onto the AI SDK's provider-level call options (LanguageModelV3). */
export function toCallOptions(
  request: ModelRequest,
  abortSignal: AbortSignal | undefined,
): LanguageModelV3CallOptions {
  const tools = request.tools?.map((tool) => ({
    type: "function" as const,
    name: tool.name,
    description: tool.description,
    inputSchema: tool.parameters as LanguageModelV3CallOptions["responseFormat"] & object,
  }));
  return {
    prompt: toPrompt(request.system, request.messages),
    maxOutputTokens: request.maxTokens,
    temperature: request.temperature,
    tools: tools && tools.length > 0 ? (tools as LanguageModelV3CallOptions["tools"]) : undefined,
    toolChoice: request.toolChoice && tools?.length ? { type: request.toolChoice } : undefined,
    responseFormat:
      request.responseFormat?.type === "json"
        ? { type: "json", schema: request.responseFormat.schema as never, name: request.responseFormat.name }
        : undefined,
    abortSignal,
  };
}

export function toPrompt(
  system: string | undefined,
  messages: readonly ChatMessage[],
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Message[] = [];
  if (system) prompt.push({ role: "system", content: system });
  for (const message of messages) {
    if (message.role === "user") {
      prompt.push({ role: "user", content: [{ type: "text", text: message.content }] });
    } else if (message.role === "assistant") {
      const content: Extract<LanguageModelV3Message, { role: "assistant" }>["content"] = [];
      if (message.content !== "") content.push({ type: "text", text: message.content });
      for (const call of message.toolCalls ?? []) {
        content.push({
          type: "tool-call",
          toolCallId: call.id,
          toolName: call.name,
          input: parseArgs(call.args),
        });
      }
      if (content.length > 0) prompt.push({ role: "assistant", content });
    } else {
      const part = {
        type: "tool-result" as const,
        toolCallId: message.toolCallId,
        toolName: message.toolName,
        output: message.isError
          ? { type: "error-text" as const, value: message.content }
          : { type: "text" as const, value: message.content },
      };
      // Consecutive results belong to one tool message (required by Anthropic, fine elsewhere).
      const previous = prompt.at(-1);
      if (previous?.role === "tool") previous.content.push(part);
      else prompt.push({ role: "tool", content: [part] });
    }
  }
  return prompt;
}

function parseArgs(args: string): unknown {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    // The model produced broken JSON earlier; send it back as-is rather than dropping the call.
    return args;
  }
}
