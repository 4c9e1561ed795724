import { type Http, type RequestOptions, segment } from "../http.ts";

interface ToolCommon {
  name: string;
  /** What the tool does, in words the model reads to decide when to call it. */
  description: string;
  url: string;
  headers?: Record<string, string>;
  rateLimit?: { maxCalls: number; windowSeconds: number };
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface HttpToolInput extends ToolCommon {
  kind: "http";
  secret?: string;
  /** JSON Schema of the arguments the model passes. */
  parameters?: Record<string, unknown>;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  retries?: number;
}

export interface McpToolInput extends ToolCommon {
  kind: "mcp";
  secret?: string;
  allowedTools?: string[];
}

export type CreateToolInput = HttpToolInput | McpToolInput;

/** A tool agents may call; the secret is write-only (`hasSecret`). */
export type Tool = (Omit<HttpToolInput, "secret"> | Omit<McpToolInput, "secret">) & {
  id: string;
  hasSecret: boolean;
  createdAt: string;
};

export interface ToolTestResult {
  ok: boolean;
  status?: number;
  attempts?: number;
  durationMs: number;
  result?: unknown;
  error?: string;
}

export function toolsResource(http: Http) {
  return {
    create(input: CreateToolInput, options?: RequestOptions): Promise<Tool> {
      return http.post<Tool>("/tools", input, options);
    },
    async list(options?: RequestOptions): Promise<Tool[]> {
      return (await http.get<{ data: Tool[] }>("/tools", options)).data;
    },
    get(id: string, options?: RequestOptions): Promise<Tool> {
      return http.get<Tool>(`/tools/${segment(id)}`, options);
    },
    update(
      id: string,
      changes: Partial<Omit<HttpToolInput, "kind" | "secret">> & {
        allowedTools?: string[];
        secret?: string | null;
      },
      options?: RequestOptions,
    ): Promise<Tool> {
      return http.patch<Tool>(`/tools/${segment(id)}`, changes, options);
    },
    delete(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/tools/${segment(id)}`, options);
    },
    /** Calls the tool once with `args` (for an MCP server, `tool` names which of its tools). */
    test(
      id: string,
      input: { arguments?: Record<string, unknown>; tool?: string } = {},
      options?: RequestOptions,
    ) {
      return http.post<ToolTestResult>(`/tools/${segment(id)}/test`, input, options);
    },
  };
}
