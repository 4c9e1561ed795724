import type { Http, RequestOptions } from "../http.ts";

export interface AnalyticsOverview {
  range: { from: string; to: string };
  totals: {
    sessions: number;
    turns: number;
    avgDurationSeconds: number;
    handoffToHumanRate: number;
    containmentRate: number;
    tokensIn: number;
    tokensOut: number;
    costUsd: number;
  };
  sessionsPerDay: { date: string; chat: number; voice: number; phone: number; api: number }[];
  /** Null percentiles: no voice turns in the range. */
  voiceLatency: { turns: number; p50Ms: number | null; p95Ms: number | null };
  byAgent: {
    agentId: string;
    name: string;
    sessions: number;
    tokensIn: number;
    tokensOut: number;
    costUsd: number;
  }[];
}

export function analyticsResource(http: Http) {
  return {
    overview(
      query: { from?: string; to?: string; agentId?: string } = {},
      options?: RequestOptions,
    ): Promise<AnalyticsOverview> {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      return http.get(`/analytics/overview${params.size ? `?${params}` : ""}`, options);
    },
  };
}
