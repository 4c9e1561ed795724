import { ApiError, problemFromResponse } from "../errors.ts";
import { API_PATH, type FetchLike, type Http, type RequestOptions } from "../http.ts";

export interface RawRequestOptions extends RequestOptions {
  /** JSON-serialisable value, or a FormData for multipart uploads. */
  body?: unknown;
  accept?: string;
}

export interface RawTransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  apiKey?: string;
  http: Http;
}

/**
 * Requests whose body is not plain JSON (multipart uploads) or whose response is read as a
 * stream (server-sent events). Adds the same credentials and organization header as the
 * JSON client; after a 401 it lets the JSON client renew the session, then tries once more.
 */
export class RawTransport {
  private readonly root: string;

  constructor(private readonly options: RawTransportOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, "")}${API_PATH}`;
  }

  async request(method: string, path: string, options: RawRequestOptions = {}): Promise<Response> {
    options.signal?.throwIfAborted();
    const bearer = this.bearer();
    let response = await this.options.fetch(this.build(method, path, options, bearer));
    if (response.status === 401 && bearer && !this.options.apiKey) {
      await response.body?.cancel();
      // Any JSON request renews an expired access token (once, shared by concurrent callers).
      await this.options.http.get("/me", { signal: options.signal }).catch(() => undefined);
      const renewed = this.bearer();
      if (renewed && renewed !== bearer) {
        response = await this.options.fetch(this.build(method, path, options, renewed));
      } else {
        response = await this.options.fetch(this.build(method, path, options, bearer));
      }
    }
    if (!response.ok) throw new ApiError(await problemFromResponse(response));
    return response;
  }

  private bearer(): string | undefined {
    return this.options.apiKey ?? this.options.http.tokenStore.get()?.accessToken;
  }

  private build(method: string, path: string, options: RawRequestOptions, bearer: string | undefined) {
    const headers = new Headers({ accept: options.accept ?? "application/json, application/problem+json" });
    if (bearer) headers.set("authorization", `Bearer ${bearer}`);
    const organizationId = this.options.http.organizationId;
    if (organizationId && !this.options.apiKey) headers.set("x-organization-id", organizationId);
    let body: FormData | string | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    return new Request(`${this.root}${path}`, { method, headers, body, signal: options.signal });
  }
}
