import { type Http, type RequestOptions, segment } from "../http.ts";

export interface ModelChoice {
  /** A provider credential's id, or `local` for a model from the local model store. */
  providerId: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
}

export type HandoffContextPolicy = "full" | "summary" | "none";

export interface AgentHandoff {
  agentId: string;
  context?: HandoffContextPolicy;
  description?: string;
}

export interface HumanHandoffRules {
  enabled?: boolean;
  keywords?: string[];
  maxHumanRequests?: number;
  maxToolFailures?: number;
  message?: string;
}

export interface AgentLimits {
  maxTurns?: number;
  maxSessionMinutes?: number;
  maxToolCalls?: number;
}

/** Everything that defines an agent; each save stores a new version of it. */
export interface AgentConfig {
  name: string;
  slug?: string;
  instructions: string;
  greeting?: string;
  onEnter?: string;
  language?: string;
  model: ModelChoice;
  fallbacks?: ModelChoice[];
  knowledgeBaseIds?: string[];
  toolIds?: string[];
  handoffs?: AgentHandoff[];
  humanHandoff?: HumanHandoffRules;
  voice?: Record<string, unknown>;
  limits?: AgentLimits;
}

export interface Agent {
  id: string;
  name: string;
  slug: string;
  status: "published" | "draft";
  latestVersion: number;
  publishedVersion: number | null;
  config: AgentConfig;
  createdAt: string;
  updatedAt: string;
}

export interface AgentVersion {
  version: number;
  published: boolean;
  note: string | null;
  config: AgentConfig;
  createdAt: string;
}

export interface AgentDiff {
  from: number;
  to: number;
  changes: { path: string; change: "added" | "removed" | "changed"; before?: unknown; after?: unknown }[];
}

/** The portable form of a set of agents (handoffs name agents by slug). */
export interface AgentBundle {
  format: "oratio.agents";
  version: 1;
  exportedAt?: string;
  agents: { slug: string; config: Record<string, unknown> }[];
}

export interface SaveOptions extends RequestOptions {
  /** Publish the new version at once, so live sessions start using it. */
  publish?: boolean;
}

const publishQuery = (publish?: boolean) => (publish === undefined ? "" : `?publish=${publish}`);

export function agentsResource(http: Http) {
  return {
    async list(options?: RequestOptions): Promise<Agent[]> {
      return (await http.get<{ data: Agent[] }>("/agents", options)).data;
    },
    get(id: string, options?: RequestOptions): Promise<Agent> {
      return http.get<Agent>(`/agents/${segment(id)}`, options);
    },
    create(config: AgentConfig, options: SaveOptions = {}): Promise<Agent> {
      return http.post<Agent>(`/agents${publishQuery(options.publish)}`, config, options);
    },
    /** Saves changes as a new version (published at once with `publish: true`). */
    update(id: string, changes: Partial<AgentConfig>, options: SaveOptions = {}): Promise<Agent> {
      return http.patch<Agent>(`/agents/${segment(id)}${publishQuery(options.publish)}`, changes, options);
    },
    delete(id: string, options?: RequestOptions): Promise<void> {
      return http.delete(`/agents/${segment(id)}`, options);
    },
    async versions(id: string, options?: RequestOptions): Promise<AgentVersion[]> {
      return (await http.get<{ data: AgentVersion[] }>(`/agents/${segment(id)}/versions`, options)).data;
    },
    version(id: string, version: number, options?: RequestOptions): Promise<AgentVersion> {
      return http.get<AgentVersion>(`/agents/${segment(id)}/versions/${version}`, options);
    },
    diff(id: string, from: number, to: number, options?: RequestOptions): Promise<AgentDiff> {
      return http.get<AgentDiff>(`/agents/${segment(id)}/diff?from=${from}&to=${to}`, options);
    },
    /** Makes `version` the live one: publishing an older version is a rollback. */
    publish(id: string, version: number, options?: RequestOptions): Promise<Agent> {
      return http.post<Agent>(`/agents/${segment(id)}/publish`, { version }, options);
    },
    export(agentIds?: string[], options?: RequestOptions): Promise<AgentBundle> {
      return http.post<AgentBundle>("/agents/export", agentIds ? { agentIds } : {}, options);
    },
    async import(
      bundle: AgentBundle & { providerId?: string },
      options: SaveOptions = {},
    ): Promise<{ id: string; slug: string }[]> {
      const path = `/agents/import${publishQuery(options.publish)}`;
      return (await http.post<{ data: { id: string; slug: string }[] }>(path, bundle, options)).data;
    },
  };
}
