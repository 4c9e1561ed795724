import { BlockedDestinationError, FetchTimeoutError } from "@oratio/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrawlEvent, type CrawlOptions, crawlSite, fetchPage, PageFetchError } from "../src/index.ts";
import { type FixtureServer, startFixtureServer } from "../src/testing/index.ts";

const ALLOW = "127.0.0.1";
const PUBLIC_PAGES = [
  "/",
  "/appointments.html",
  "/careers.html",
  "/contact.html",
  "/emergencies.html",
  "/faq.html",
  "/insurance-and-payment.html",
  "/locations/downtown.html",
  "/locations/northside.html",
  "/new-patients.html",
  "/news/holiday-hours.html",
  "/prices.html",
  "/services/",
  "/services/cosmetic.html",
  "/services/implants.html",
  "/services/kids.html",
  "/team.html",
];

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    routes: {
      "/to-metadata.html": (_request, response) => {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      },
      "/moved.html": (_request, response, origin) => {
        response.writeHead(301, { location: `${origin}/contact.html` }).end();
      },
      "/slow.html": () => {
        // Never answers: only a time limit ends this request.
      },
      "/gone.html": (_request, response) => {
        response.writeHead(410, { "content-type": "text/html" }).end("<p>gone</p>");
      },
    },
  });
});

afterAll(async () => {
  await server.close();
});

async function crawl(path: string, options: CrawlOptions = {}): Promise<CrawlEvent[]> {
  const events: CrawlEvent[] = [];
  for await (const event of crawlSite(`${server.origin}${path}`, { allowList: ALLOW, ...options }))
    events.push(event);
  return events;
}

const pagesOf = (events: CrawlEvent[]) =>
  events.flatMap((event) => (event.type === "page" ? [event.page] : []));
const pathsOf = (events: CrawlEvent[]) =>
  pagesOf(events)
    .map((page) => new URL(page.url).pathname)
    .sort();

describe("crawlSite on the fixture business", () => {
  let events: CrawlEvent[];
  let requestsDuringCrawl: string[];

  beforeAll(async () => {
    const before = server.requests.length;
    events = await crawl("/");
    requestsDuringCrawl = server.requests.slice(before);
  });

  it("finds every public page, including one only the sitemap lists", () => {
    expect(pathsOf(events)).toEqual(PUBLIC_PAGES);
    expect(requestsDuringCrawl).toContain("/sitemap.xml");
    expect(requestsDuringCrawl).toContain("/news/holiday-hours.html");
  });

  it("never requests the page robots.txt disallows", () => {
    expect(requestsDuringCrawl[0]).toBe("/robots.txt");
    expect(requestsDuringCrawl.some((path) => path.startsWith("/internal/"))).toBe(false);
    const skipped = events.find((event) => event.type === "skipped" && event.url.includes("/internal/"));
    expect(skipped).toMatchObject({ reason: "disallowed by robots.txt" });
  });

  it("skips links to files that are not HTML without requesting them", () => {
    expect(requestsDuringCrawl).not.toContain("/files/price-list.csv");
    expect(requestsDuringCrawl).not.toContain("/assets/site.css");
    expect(
      events.some((event) => event.type === "skipped" && event.url.endsWith("/files/price-list.csv")),
    ).toBe(true);
  });

  it("requests each page once", () => {
    const pageRequests = requestsDuringCrawl.filter(
      (path) => path !== "/robots.txt" && path !== "/sitemap.xml",
    );
    expect(new Set(pageRequests).size).toBe(pageRequests.length);
  });

  it("keeps the main content and drops header, navigation, cookie notice and footer", () => {
    for (const page of pagesOf(events)) {
      for (const boilerplate of [
        "Caring for smiles along the waterfront",
        "Two neighbourhood offices",
        "Staff portal",
        "strictly necessary cookies",
        "Rated 4.9 stars",
        "All rights reserved",
      ]) {
        expect(page.markdown, `${page.url} contains "${boilerplate}"`).not.toContain(boilerplate);
      }
    }
    const emergencies = pagesOf(events).find((page) => page.url.endsWith("/emergencies.html"))!;
    expect(emergencies.title).toBe("Dental emergencies");
    expect(emergencies.headings.map((heading) => heading.text)).toContain("Nights and weekends");
    expect(emergencies.markdown).toContain("(555) 014-2290");
    expect(emergencies.depth).toBe(1);
    expect(emergencies.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports progress and finishes with a done event", () => {
    const done = events.at(-1)!;
    expect(done.type).toBe("done");
    if (done.type !== "done") return;
    expect(done.stopReason).toBe("completed");
    expect(done.progress.parsed).toBe(PUBLIC_PAGES.length);
    expect(done.progress.fetched).toBe(PUBLIC_PAGES.length);
    expect(done.progress.failed).toBe(0);
    expect(done.progress.discovered).toBeGreaterThan(PUBLIC_PAGES.length);
    expect(done.progress.bytes).toBeGreaterThan(0);
    const parsedCounts = events.flatMap((event) => (event.type === "page" ? [event.progress.parsed] : []));
    expect(parsedCounts).toEqual(parsedCounts.map((_, index) => index + 1));
  });

  it("produces the same content hash as a single-page fetch of the same page", async () => {
    const page = pagesOf(events).find((entry) => entry.url.endsWith("/faq.html"))!;
    const single = await fetchPage(page.url, { allowList: ALLOW });
    expect(single.contentHash).toBe(page.contentHash);
  });
});

describe("crawlSite limits", () => {
  it("stops following links past the depth limit", async () => {
    const events = await crawl("/", { maxDepth: 1, useSitemap: false });
    const paths = pathsOf(events);
    expect(paths).toContain("/services/");
    expect(paths).toContain("/careers.html");
    expect(paths).not.toContain("/services/implants.html");
    expect(paths).not.toContain("/news/holiday-hours.html");
  });

  it("stops at the page limit", async () => {
    const before = server.requests.length;
    const events = await crawl("/", { maxPages: 3, concurrency: 2 });
    expect(pagesOf(events)).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "max-pages" });
    const pageRequests = server.requests
      .slice(before)
      .filter((path) => !["/robots.txt", "/sitemap.xml"].includes(path));
    expect(pageRequests).toHaveLength(3);
  });

  it("stops at the total byte limit", async () => {
    const events = await crawl("/", { maxTotalBytes: 8_000, concurrency: 1 });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: "done", stopReason: "max-bytes" });
    expect(pagesOf(events).length).toBeLessThan(PUBLIC_PAGES.length);
  });

  it("gives up on a page that does not answer within the request timeout", async () => {
    // The timeout also covers robots.txt, which must still answer in time on a loaded machine.
    const events = await crawl("/slow.html", { useSitemap: false, requestTimeoutMs: 3000 });
    const error = events.find((event) => event.type === "error");
    expect(error?.type === "error" && error.error).toBeInstanceOf(FetchTimeoutError);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "completed", progress: { failed: 1 } });
  });

  it("stops when the crawl's time limit is reached", async () => {
    const events = await crawl("/slow.html", { useSitemap: false, timeLimitMs: 1000 });
    expect(events.filter((event) => event.type === "error")).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: "done", stopReason: "time-limit" });
  });

  it("requests nothing but robots.txt when the site's robots.txt is unavailable", async () => {
    const broken = await startFixtureServer({
      routes: { "/robots.txt": (_request, response) => response.writeHead(503).end() },
    });
    try {
      const events: CrawlEvent[] = [];
      for await (const event of crawlSite(`${broken.origin}/`, { allowList: ALLOW, useSitemap: false })) {
        events.push(event);
      }
      expect(broken.requests).toEqual(["/robots.txt"]);
      expect(events[0]).toMatchObject({ type: "skipped", reason: "disallowed by robots.txt" });
    } finally {
      await broken.close();
    }
  });

  it("can be aborted between pages", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const event of crawlSite(`${server.origin}/`, {
        allowList: ALLOW,
        signal: controller.signal,
      })) {
        if (event.type === "page") {
          seen.push(event.page.url);
          controller.abort(new Error("operator cancelled"));
        }
      }
    };
    await expect(run()).rejects.toThrow("operator cancelled");
    expect(seen.length).toBeLessThan(PUBLIC_PAGES.length);
  });
});

describe("crawlSite and the outbound-request guard", () => {
  it("refuses to start on a loopback address that is not allow-listed, without a request", async () => {
    const before = server.requests.length;
    await expect(crawl("/", { allowList: "" })).rejects.toBeInstanceOf(BlockedDestinationError);
    expect(server.requests.length).toBe(before);
  });

  it("reports a redirect to the cloud metadata address as a page error", async () => {
    const events = await crawl("/to-metadata.html", { useSitemap: false });
    const error = events.find((event) => event.type === "error");
    expect(error?.type === "error" && error.error).toBeInstanceOf(BlockedDestinationError);
    expect(events.at(-1)).toMatchObject({ type: "done", progress: { failed: 1, parsed: 0 } });
  });

  it("follows a same-site redirect and records the final URL", async () => {
    const events = await crawl("/moved.html", { useSitemap: false, maxDepth: 0 });
    expect(pagesOf(events).map((page) => page.url)).toEqual([`${server.origin}/contact.html`]);
  });
});

describe("fetchPage", () => {
  it("extracts a single HTML page", async () => {
    const page = await fetchPage(`${server.origin}/locations/downtown.html`, { allowList: ALLOW });
    expect(page.title).toBe("Downtown office");
    expect(page.document.type).toBe("html");
    expect(page.markdown).toContain("| Saturday | 9:00 – 13:00 |");
  });

  it("extracts a linked document that is not HTML", async () => {
    const page = await fetchPage(`${server.origin}/files/price-list.csv`, { allowList: ALLOW });
    expect(page.document.type).toBe("csv");
    expect(page.markdown).toContain("Treatment: Night guard for grinding; Fee (USD): 380");
  });

  it("reports an HTTP error status", async () => {
    await expect(fetchPage(`${server.origin}/gone.html`, { allowList: ALLOW })).rejects.toBeInstanceOf(
      PageFetchError,
    );
  });

  it("refuses a redirect to a blocked address", async () => {
    await expect(fetchPage(`${server.origin}/to-metadata.html`, { allowList: ALLOW })).rejects.toBeInstanceOf(
      BlockedDestinationError,
    );
  });
});
