import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { isOratioError } from "@oratio/core";
import { type AllowList, createGuardedFetch, type GuardedFetch } from "@oratio/net";
import type { McpToolDefinition } from "./definition.ts";

export interface McpToolInfo {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface McpCallOptions {
  secret?: string | undefined;
  allowList: AllowList;
  signal?: AbortSignal | undefined;
}

export interface McpCallOutcome {
  ok: boolean;
  text: string;
}

const CLIENT_INFO = { name: "oratio", version: "1.0.0" };
const MAX_LIST_PAGES = 20;

/** One guarded fetch (and its connection pool) per allow-list, shared by every MCP call. */
const guardedFetches = new WeakMap<AllowList, GuardedFetch>();

function guardedFetchFor(allowList: AllowList): GuardedFetch {
  let fetch = guardedFetches.get(allowList);
  if (!fetch) {
    fetch = createGuardedFetch({ allowList });
    guardedFetches.set(allowList, fetch);
  }
  return fetch;
}

/** Stops reading any one response past `maxBytes`, so a hostile server cannot fill memory. */
function cappedFetch(fetch: GuardedFetch, maxBytes: number): GuardedFetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    let total = 0;
    const capped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          total += chunk.byteLength;
          if (total > maxBytes)
            controller.error(new Error(`the MCP server sent more than ${maxBytes} bytes in one response`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(capped, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * Opens a Streamable HTTP session with an MCP server for one piece of work and closes it
 * afterwards. Every connection goes through the outbound-request guard. A session per call
 * keeps nothing open between turns and survives servers that expire their sessions.
 */
export async function withMcpClient<T>(
  tool: McpToolDefinition,
  options: McpCallOptions,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const headers: Record<string, string> = { ...tool.headers };
  if (options.secret) headers.authorization = `Bearer ${options.secret}`;
  const transport = new StreamableHTTPClientTransport(new URL(tool.url), {
    fetch: cappedFetch(guardedFetchFor(options.allowList), tool.maxResponseBytes),
    requestInit: { headers },
  });
  const client = new Client(CLIENT_INFO);
  try {
    await client.connect(transport, { signal: options.signal, timeout: tool.timeoutMs });
    return await work(client);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Error(`MCP server ${tool.url}: ${describeFailure(error)}`, { cause: error });
  } finally {
    await client.close().catch(() => {});
  }
}

/** The server's tools that the definition allows, in the server's order. */
export async function listMcpTools(tool: McpToolDefinition, options: McpCallOptions): Promise<McpToolInfo[]> {
  return withMcpClient(tool, options, async (client) => {
    const found: McpToolInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : {}, {
        signal: options.signal,
        timeout: tool.timeoutMs,
      });
      for (const t of result.tools) {
        found.push({
          name: t.name,
          description: t.description ?? t.title ?? t.name,
          inputSchema: t.inputSchema as Record<string, unknown>,
        });
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    const allowed = tool.allowedTools ? new Set(tool.allowedTools) : undefined;
    return allowed ? found.filter((t) => allowed.has(t.name)) : found;
  });
}

export async function callMcpTool(
  tool: McpToolDefinition,
  toolName: string,
  args: Record<string, unknown>,
  options: McpCallOptions,
): Promise<McpCallOutcome> {
  if (tool.allowedTools && !tool.allowedTools.includes(toolName)) {
    return { ok: false, text: `the tool "${toolName}" is not allowed for this MCP server` };
  }
  return withMcpClient(tool, options, async (client) => {
    const result = await client.callTool({ name: toolName, arguments: args }, undefined, {
      signal: options.signal,
      timeout: tool.timeoutMs,
    });
    return { ok: result.isError !== true, text: resultText(result) };
  });
}

/** MCP content as text for a model: text parts verbatim, structured content as JSON, media named. */
function resultText(result: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : [];
  for (const part of content) {
    if (part.type === "text" && typeof part.text === "string") parts.push(part.text);
    else if (part.type === "resource" || part.type === "resource_link")
      parts.push(JSON.stringify(part.resource ?? { uri: part.uri, name: part.name }));
    else parts.push(`[${String(part.type)} content omitted]`);
  }
  if (parts.length === 0 && result.structuredContent !== undefined)
    parts.push(JSON.stringify(result.structuredContent));
  if (parts.length === 0 && "toolResult" in result) parts.push(JSON.stringify(result.toolResult));
  return parts.join("\n");
}

/** fetch wraps the guard's refusal in a TypeError; the innermost Oratio error says what happened. */
function describeFailure(error: unknown): string {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (isOratioError(e)) return e.detail;
    if (!(e as { cause?: unknown }).cause) break;
  }
  return error instanceof Error ? error.message : String(error);
}
