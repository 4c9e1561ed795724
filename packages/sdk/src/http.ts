import { ApiError, problemFromResponse } from "./errors.ts";
import type { TokenPair, TokenStore } from "./token-store.ts";

export type FetchLike = (input: Request) => Response | Promise<Response>;

export interface RequestOptions {
  signal?: AbortSignal;
}

interface SendOptions extends RequestOptions {
  body?: unknown;
  /** Send no credentials (sign-up, sign-in, refresh): a stale token must not turn them into 401s. */
  anonymous?: boolean;
}

/** Runs `task` while no other holder of the same lock runs its own (e.g. navigator.locks). */
export type RefreshLock = <T>(task: () => Promise<T>) => Promise<T>;

export interface HttpOptions {
  baseUrl: string;
  fetch: FetchLike;
  tokenStore: TokenStore;
  refreshLock?: RefreshLock;
  apiKey?: string;
  organizationId?: string | null;
}

export const API_PATH = "/api/v1";

/**
 * Sends JSON requests to the API: adds the credentials and the organization header, turns
 * error responses into ApiError, and on a 401 refreshes the access token once (shared by
 * every request that failed at the same time, because each refresh token works only once).
 */
export class Http {
  readonly tokenStore: TokenStore;
  organizationId: string | null;
  private readonly root: string;
  private readonly fetchFn: FetchLike;
  private readonly apiKey: string | undefined;
  private readonly refreshLock: RefreshLock;
  private refreshing: Promise<TokenPair | null> | null = null;

  constructor(options: HttpOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, "")}${API_PATH}`;
    this.fetchFn = options.fetch;
    this.tokenStore = options.tokenStore;
    this.apiKey = options.apiKey;
    this.organizationId = options.organizationId ?? null;
    this.refreshLock = options.refreshLock ?? ((task) => task());
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.send<T>("GET", path, options);
  }
  post<T>(path: string, body: unknown, options?: RequestOptions & { anonymous?: boolean }): Promise<T> {
    return this.send<T>("POST", path, { ...options, body });
  }
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return this.send<T>("PATCH", path, { ...options, body });
  }
  delete(path: string, options?: RequestOptions): Promise<void> {
    return this.send<void>("DELETE", path, options);
  }

  async send<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    options.signal?.throwIfAborted();
    const bearer = options.anonymous ? undefined : (this.apiKey ?? this.tokenStore.get()?.accessToken);
    let response = await this.fetchFn(this.buildRequest(method, path, options, bearer));
    if (response.status === 401 && bearer && !this.apiKey) {
      const renewed = await this.renewAfter(bearer, options.signal);
      if (renewed) {
        await response.body?.cancel();
        response = await this.fetchFn(this.buildRequest(method, path, options, renewed.accessToken));
      }
    }
    if (!response.ok) throw new ApiError(await problemFromResponse(response));
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /**
   * Gets a usable access token after `rejected` was refused: the one another request
   * already refreshed to, or a new one. Null when the session cannot be renewed.
   */
  private async renewAfter(rejected: string, signal?: AbortSignal): Promise<TokenPair | null> {
    const current = this.tokenStore.get();
    if (!current) return null;
    if (current.accessToken !== rejected) return current;
    // Not tied to one caller's signal: an aborted caller must not cancel a refresh others wait on.
    this.refreshing ??= this.refreshLock(async () => {
      // Another holder of the lock (a second browser tab) may have refreshed meanwhile.
      const latest = this.tokenStore.get();
      if (!latest || latest.accessToken !== rejected) return latest;
      return this.refresh(latest.refreshToken);
    }).finally(() => {
      this.refreshing = null;
    });
    const renewed = await this.refreshing;
    signal?.throwIfAborted();
    return renewed;
  }

  private async refresh(refreshToken: string): Promise<TokenPair | null> {
    try {
      const tokens = await this.send<TokenPair>("POST", "/auth/refresh", {
        body: { refreshToken },
        anonymous: true,
      });
      this.tokenStore.set(tokens);
      return tokens;
    } catch (error) {
      // The refresh token is expired, revoked or already used: the session is over.
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        this.tokenStore.set(null);
        return null;
      }
      throw error;
    }
  }

  private buildRequest(method: string, path: string, options: SendOptions, bearer: string | undefined) {
    const headers = new Headers({ accept: "application/json, application/problem+json" });
    if (bearer) headers.set("authorization", `Bearer ${bearer}`);
    if (this.organizationId && !this.apiKey && !options.anonymous) {
      headers.set("x-organization-id", this.organizationId);
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    return new Request(`${this.root}${path}`, { method, headers, body, signal: options.signal });
  }
}

/** Encodes one path segment, so an id can never change which route is called. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
