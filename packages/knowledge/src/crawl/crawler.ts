import { assertSafeUrl, ResponseTooLargeError, safeFetch } from "@oratio/net";
import { extractHtml } from "../extract/html.ts";
import {
  DEFAULT_USER_AGENT,
  type FetchPageOptions,
  PageFetchError,
  toWebDocument,
  type WebDocument,
} from "./fetch-page.ts";
import { fetchRobots, type RobotsRules } from "./robots.ts";
import { parseSitemap } from "./sitemap.ts";
import { isHtmlContentType, isSameSite, looksLikeNonHtml, normalizeUrl } from "./urls.ts";

export interface CrawlOptions extends Omit<FetchPageOptions, "maxBytes" | "timeoutMs"> {
  /** Pages fetched at most. Default 50. */
  maxPages?: number;
  /** Link hops from the start page (sitemap entries count as one hop). Default 3. */
  maxDepth?: number;
  /** Bytes downloaded across all pages. Default 50 MiB. */
  maxTotalBytes?: number;
  /** Bytes for one page. Default 5 MiB. */
  maxPageBytes?: number;
  /** Wall-clock budget for the whole crawl. Default 10 minutes. */
  timeLimitMs?: number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Per-request time limit. Default 15 000 ms. */
  requestTimeoutMs?: number;
  /** Least time between two requests, ms; a robots.txt Crawl-delay raises it (up to 10 s). Default 0. */
  delayMs?: number;
  /** Read `/sitemap.xml` and robots.txt `Sitemap:` lines. Default true. */
  useSitemap?: boolean;
}

export interface CrawlProgress {
  discovered: number;
  fetched: number;
  parsed: number;
  skipped: number;
  failed: number;
  bytes: number;
  currentUrl: string | undefined;
}

export interface CrawledPage extends WebDocument {
  depth: number;
}

export type CrawlStopReason = "completed" | "max-pages" | "max-bytes" | "time-limit";

export type CrawlEvent =
  | { type: "page"; page: CrawledPage; progress: CrawlProgress }
  | { type: "skipped"; url: string; reason: string; progress: CrawlProgress }
  | { type: "error"; url: string; error: Error; progress: CrawlProgress }
  | { type: "done"; stopReason: CrawlStopReason; progress: CrawlProgress };

interface QueueItem {
  url: string;
  depth: number;
}

const MAX_SITEMAPS = 5;
const MAX_CRAWL_DELAY_MS = 10_000;

/**
 * Crawls one site from a start URL: same-site links and sitemap entries, never a URL that
 * robots.txt disallows (those are not requested at all), within limits on pages, depth,
 * bytes and time. Every request goes through the outbound-request guard. Yields one event
 * per page, skip or error, then a final `done`. Aborting `signal` makes the iterator throw.
 */
export async function* crawlSite(startUrl: string, options: CrawlOptions = {}): AsyncGenerator<CrawlEvent> {
  const start = normalizeUrl(startUrl);
  if (!start) throw new TypeError(`"${startUrl}" is not an http(s) URL.`);
  await assertSafeUrl(start, { allowList: options.allowList, resolve: options.resolve });

  const limits = {
    maxPages: options.maxPages ?? 50,
    maxDepth: options.maxDepth ?? 3,
    maxTotalBytes: options.maxTotalBytes ?? 50 * 1024 * 1024,
    maxPageBytes: options.maxPageBytes ?? 5 * 1024 * 1024,
    concurrency: Math.max(1, options.concurrency ?? 2),
  };
  const deadline = AbortSignal.timeout(options.timeLimitMs ?? 10 * 60_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const fetchOptions = {
    signal,
    allowList: options.allowList,
    resolve: options.resolve,
    timeoutMs: options.requestTimeoutMs ?? 15_000,
    headers: { "user-agent": userAgent },
  };
  const progress: CrawlProgress = {
    discovered: 0,
    fetched: 0,
    parsed: 0,
    skipped: 0,
    failed: 0,
    bytes: 0,
    currentUrl: undefined,
  };
  const snapshot = (): CrawlProgress => ({ ...progress });
  const seen = new Set<string>();
  const queue: QueueItem[] = [];
  const pending: CrawlEvent[] = [];

  const timeLimitReached = (): CrawlEvent => ({
    type: "done",
    stopReason: "time-limit",
    progress: snapshot(),
  });
  let robots: RobotsRules;
  try {
    robots = await fetchRobots(start, userAgent, fetchOptions);
  } catch (error) {
    if (deadline.aborted && !options.signal?.aborted) return yield timeLimitReached();
    throw error;
  }
  const delayMs = Math.max(
    options.delayMs ?? 0,
    Math.min((robots.crawlDelay ?? 0) * 1000, MAX_CRAWL_DELAY_MS),
  );

  const enqueue = (url: string, depth: number) => {
    const normal = normalizeUrl(url);
    if (!normal || seen.has(normal) || !isSameSite(normal, start) || depth > limits.maxDepth) return;
    seen.add(normal);
    progress.discovered++;
    if (looksLikeNonHtml(normal)) skip(normal, "not an HTML page");
    else if (!robots.isAllowed(normal)) skip(normal, "disallowed by robots.txt");
    else queue.push({ url: normal, depth });
  };
  const skip = (url: string, reason: string) => {
    progress.skipped++;
    pending.push({ type: "skipped", url, reason, progress: snapshot() });
  };

  enqueue(start, 0);
  if (options.useSitemap ?? true) {
    try {
      for (const url of await readSitemaps(start, robots, fetchOptions)) enqueue(url, 1);
    } catch (error) {
      if (deadline.aborted && !options.signal?.aborted) return yield timeLimitReached();
      throw error;
    }
  }
  yield* pending.splice(0);

  let nextRequestAt = 0;
  let budgetExhausted = false;
  let stopReason: CrawlStopReason = "completed";
  const inFlight = new Map<number, Promise<{ id: number; events: CrawlEvent[] }>>();
  let taskId = 0;

  const visit = async (item: QueueItem): Promise<CrawlEvent[]> => {
    const wait = nextRequestAt - Date.now();
    nextRequestAt = Math.max(Date.now(), nextRequestAt) + delayMs;
    if (wait > 0) await sleep(wait, signal);
    progress.currentUrl = item.url;
    const remaining = limits.maxTotalBytes - progress.bytes;
    const response = await safeFetch(item.url, {
      ...fetchOptions,
      maxBytes: Math.max(1, Math.min(limits.maxPageBytes, remaining)),
      headers: { ...fetchOptions.headers, accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" },
    }).catch((error: unknown) => {
      // A page that only failed to fit in what is left of the crawl's byte budget is not
      // a broken page: the crawl has simply used up its budget.
      if (error instanceof ResponseTooLargeError && remaining < limits.maxPageBytes) budgetExhausted = true;
      throw error;
    });
    progress.fetched++;
    progress.bytes += response.body.byteLength;
    const finalUrl = normalizeUrl(response.url) ?? item.url;
    if (finalUrl !== item.url) {
      if (!isSameSite(finalUrl, start)) return [skipEvent(item.url, `redirected off-site to ${finalUrl}`)];
      if (seen.has(finalUrl)) return [skipEvent(item.url, `redirects to ${finalUrl}, already crawled`)];
      seen.add(finalUrl);
    }
    if (!response.ok) throw new PageFetchError(finalUrl, response.status);
    const contentType = response.headers.get("content-type") ?? "";
    if (!isHtmlContentType(contentType)) return [skipEvent(finalUrl, `not an HTML page (${contentType})`)];
    const extraction = extractHtml(response.text(), finalUrl);
    if (!extraction.robots.includes("nofollow")) {
      for (const link of extraction.links) enqueue(link, item.depth + 1);
    }
    if (extraction.robots.includes("noindex"))
      return [skipEvent(finalUrl, "the page asks not to be indexed")];
    if (!extraction.document.markdown.trim()) return [skipEvent(finalUrl, "no readable content")];
    progress.parsed++;
    const page: CrawledPage = {
      ...toWebDocument(finalUrl, extraction.document, contentType, response.body.byteLength),
      depth: item.depth,
    };
    return [{ type: "page", page, progress: snapshot() }];
  };
  const skipEvent = (url: string, reason: string): CrawlEvent => {
    progress.skipped++;
    return { type: "skipped", url, reason, progress: snapshot() };
  };

  for (;;) {
    while (queue.length && inFlight.size < limits.concurrency && stopReason === "completed") {
      if (progress.fetched + inFlight.size >= limits.maxPages) stopReason = "max-pages";
      else if (progress.bytes >= limits.maxTotalBytes || budgetExhausted) stopReason = "max-bytes";
      else if (deadline.aborted) stopReason = "time-limit";
      else {
        const item = queue.shift()!;
        const id = taskId++;
        const task = visit(item).then(
          (events) => ({ id, events }),
          (error: unknown) => ({ id, events: failure(item.url, error) }),
        );
        inFlight.set(id, task);
      }
    }
    if (inFlight.size === 0) break;
    const { id, events } = await Promise.race(inFlight.values());
    inFlight.delete(id);
    yield* pending.splice(0);
    yield* events;
  }
  options.signal?.throwIfAborted();
  if (deadline.aborted) stopReason = "time-limit";
  else if (budgetExhausted) stopReason = "max-bytes";
  progress.currentUrl = undefined;
  yield { type: "done", stopReason, progress: snapshot() };

  function failure(url: string, error: unknown): CrawlEvent[] {
    // A stop requested by the caller, the time limit or the byte budget is not a page failure.
    if (signal.aborted || (budgetExhausted && error instanceof ResponseTooLargeError)) return [];
    progress.failed++;
    return [
      {
        type: "error",
        url,
        error: error instanceof Error ? error : new Error(String(error)),
        progress: snapshot(),
      },
    ];
  }
}

async function readSitemaps(
  start: string,
  robots: RobotsRules,
  fetchOptions: Parameters<typeof safeFetch>[1] & { signal: AbortSignal },
): Promise<string[]> {
  const toRead = [...new Set([...robots.sitemaps, new URL("/sitemap.xml", start).href])];
  const pages: string[] = [];
  for (let index = 0; index < toRead.length && index < MAX_SITEMAPS; index++) {
    const sitemapUrl = toRead[index]!;
    if (!isSameSite(sitemapUrl, start)) continue;
    try {
      const response = await safeFetch(sitemapUrl, { ...fetchOptions, maxBytes: 5 * 1024 * 1024 });
      if (!response.ok) continue;
      const entries = parseSitemap(response.text());
      pages.push(...entries.pages);
      for (const nested of entries.sitemaps) if (!toRead.includes(nested)) toRead.push(nested);
    } catch (error) {
      // A broken sitemap only means fewer starting points; links are still followed.
      if (fetchOptions.signal.aborted) throw error;
    }
  }
  return pages;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
