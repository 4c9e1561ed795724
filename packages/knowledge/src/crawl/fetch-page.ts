import { isRetryableStatus, OratioError } from "@oratio/core";
import { type AllowList, type Resolver, safeFetch } from "@oratio/net";
import { extractHtml } from "../extract/html.ts";
import { extractDocument } from "../extract/index.ts";
import { contentHash } from "../hash.ts";
import type { ExtractedDocument, Heading } from "../types.ts";
import { isHtmlContentType } from "./urls.ts";

export const DEFAULT_USER_AGENT = "OratioBot/0.1 (knowledge sync)";

export interface FetchPageOptions {
  signal?: AbortSignal;
  /** Per-request time limit. Default 15 000 ms. */
  timeoutMs?: number;
  /** Largest body accepted. Default 10 MiB. */
  maxBytes?: number;
  userAgent?: string;
  /** Destinations allowed despite the address policy. Defaults to `ORATIO_FETCH_ALLOW`. */
  allowList?: AllowList | string;
  /** Replaces DNS resolution (tests). */
  resolve?: Resolver;
}

/** A fetched and extracted web document, ready to chunk and index. */
export interface WebDocument {
  /** Final URL after redirects. */
  url: string;
  title: string;
  markdown: string;
  headings: Heading[];
  document: ExtractedDocument;
  /** Hash of the extracted text: equal hashes mean nothing to re-index. */
  contentHash: string;
  contentType: string;
  bytes: number;
  fetchedAt: Date;
}

/** An HTTP answer other than 2xx for a page, or a page that could not be read. */
export class PageFetchError extends OratioError {
  readonly url: string;
  constructor(url: string, httpStatus: number) {
    super(502, "page-fetch-failed", "Page could not be fetched", {
      detail: `${url} answered HTTP ${httpStatus}.`,
      retryable: isRetryableStatus(httpStatus),
      extensions: { url, httpStatus },
    });
    this.url = url;
  }
}

/**
 * Fetches one URL through the outbound-request guard and extracts it: HTML pages through
 * the main-content extractor, anything else (a PDF, a CSV) through document extraction.
 */
export async function fetchPage(url: string, options: FetchPageOptions = {}): Promise<WebDocument> {
  const response = await safeFetch(url, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    allowList: options.allowList,
    resolve: options.resolve,
    headers: { "user-agent": options.userAgent ?? DEFAULT_USER_AGENT, accept: "text/html,*/*;q=0.8" },
  });
  if (!response.ok) throw new PageFetchError(response.url, response.status);
  const contentType = response.headers.get("content-type") ?? "";
  const document = isHtmlContentType(contentType)
    ? extractHtml(response.text(), response.url).document
    : await extractDocument(response.body, {
        fileName: new URL(response.url).pathname.split("/").pop(),
        maxBytes: options.maxBytes,
        signal: options.signal,
      });
  return toWebDocument(response.url, document, contentType, response.body.byteLength);
}

export function toWebDocument(
  url: string,
  document: ExtractedDocument,
  contentType: string,
  bytes: number,
): WebDocument {
  return {
    url,
    title: document.title,
    markdown: document.markdown,
    headings: document.headings,
    document,
    contentHash: contentHash(document.markdown),
    contentType,
    bytes,
    fetchedAt: new Date(),
  };
}
