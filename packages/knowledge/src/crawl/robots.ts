import { type SafeFetchOptions, safeFetch } from "@oratio/net";
import robotsParserModule from "robots-parser";

type RobotsParser = (
  url: string,
  contents: string,
) => {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
  getSitemaps(): string[];
};

// CommonJS with an ES-style declaration file: depending on the resolver, the default import
// is the function itself or a namespace holding it.
const robotsParser = ((robotsParserModule as unknown as { default?: RobotsParser }).default ??
  robotsParserModule) as unknown as RobotsParser;

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Seconds to wait between requests, if the site asks for it. */
  crawlDelay: number | undefined;
  sitemaps: string[];
}

/**
 * Fetches and parses `/robots.txt` as RFC 9309 says: a missing file (4xx) allows everything,
 * an unreachable one (5xx, network failure) allows nothing, since the site may be in trouble.
 */
export async function fetchRobots(
  origin: string,
  userAgent: string,
  fetchOptions: SafeFetchOptions,
): Promise<RobotsRules> {
  const robotsUrl = new URL("/robots.txt", origin).href;
  let body = "";
  try {
    const response = await safeFetch(robotsUrl, { ...fetchOptions, maxBytes: 512 * 1024 });
    if (response.status >= 500) return disallowAll();
    if (response.ok) body = response.text();
  } catch (error) {
    if (fetchOptions.signal?.aborted) throw error;
    return disallowAll();
  }
  const robots = robotsParser(robotsUrl, body);
  return {
    isAllowed: (url) => robots.isAllowed(url, userAgent) !== false,
    crawlDelay: robots.getCrawlDelay(userAgent),
    sitemaps: robots.getSitemaps(),
  };
}

function disallowAll(): RobotsRules {
  return { isAllowed: () => false, crawlDelay: undefined, sitemaps: [] };
}
