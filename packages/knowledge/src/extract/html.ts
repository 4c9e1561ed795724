import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import type { ExtractedDocument } from "../types.ts";
import { htmlToMarkdown } from "./html-to-markdown.ts";
import { findHeadings, tidyMarkdown } from "./markdown-utils.ts";

export interface HtmlExtraction {
  document: ExtractedDocument;
  /** Absolute http(s) link targets found anywhere on the page, navigation included. */
  links: string[];
  /** Content of `<meta name="robots">`, lower-cased, e.g. `noindex, nofollow`. */
  robots: string;
}

/** Site furniture that repeats on every page and would pollute every search result. */
const BOILERPLATE = [
  "script",
  "style",
  "noscript",
  "template",
  "nav",
  "aside",
  "form",
  "dialog",
  "[role=navigation]",
  "[role=banner]",
  "[role=contentinfo]",
  "[role=complementary]",
  "[role=search]",
  "[role=dialog]",
  "[role=alertdialog]",
  "[aria-hidden=true]",
  "[hidden]",
].join(",");

/**
 * Extracts the main content of a web page. Links are collected first (navigation is exactly
 * where a crawler finds them), then the boilerplate is cut. When the page marks its main
 * content (`<main>`, `role=main`, a single `<article>`) that is trusted; otherwise
 * Readability scores the remaining blocks, and the cleaned body is the last resort.
 */
export function extractHtml(html: string, pageUrl?: string): HtmlExtraction {
  const { document } = parseHTML(html);
  const base = baseUrlOf(document, pageUrl);
  const links = collectLinks(document, base);
  const robots = (document.querySelector("meta[name=robots]")?.getAttribute("content") ?? "").toLowerCase();
  const pageTitle = document.querySelector("title")?.textContent?.trim() ?? "";

  for (const element of [...document.querySelectorAll(BOILERPLATE)]) element.remove();
  // A header or footer inside the main content (an article's title block) is content.
  for (const element of [...document.querySelectorAll("header, footer")]) {
    if (!element.parentElement?.closest("main, article, [role=main]")) element.remove();
  }
  const marked = pickMarkedMain(document);
  let contentHtml: string;
  if (marked) {
    contentHtml = marked.innerHTML;
  } else {
    const article = new Readability(document as never, { charThreshold: 200, keepClasses: false }).parse();
    contentHtml = article?.content?.trim() ? article.content : (document.body?.innerHTML ?? "");
  }
  const markdown = tidyMarkdown(htmlToMarkdown(contentHtml));
  const headings = findHeadings(markdown);
  const h1 = headings.find((heading) => heading.level === 1)?.text;
  return {
    document: {
      type: "html",
      title: h1 || cleanTitle(pageTitle) || pageUrl || "Untitled page",
      markdown,
      headings,
    },
    links,
    robots,
  };
}

function pickMarkedMain(document: ReturnType<typeof parseHTML>["document"]) {
  const main = document.querySelector("main, [role=main]");
  if (main) return main;
  const articles = document.querySelectorAll("article");
  return articles.length === 1 ? articles[0] : undefined;
}

function baseUrlOf(document: ReturnType<typeof parseHTML>["document"], pageUrl: string | undefined) {
  const href = document.querySelector("base[href]")?.getAttribute("href");
  try {
    if (href) return new URL(href, pageUrl).href;
  } catch {
    // An invalid <base> is ignored, as browsers do.
  }
  return pageUrl;
}

function collectLinks(
  document: ReturnType<typeof parseHTML>["document"],
  base: string | undefined,
): string[] {
  if (!base) return [];
  const links = new Set<string>();
  for (const anchor of document.querySelectorAll("a[href]")) {
    const rel = (anchor.getAttribute("rel") ?? "").toLowerCase();
    if (rel.includes("nofollow")) continue;
    try {
      const url = new URL(anchor.getAttribute("href") ?? "", base);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      url.hash = "";
      links.add(url.href);
    } catch {
      // Malformed hrefs are common on real sites; skip them.
    }
  }
  return [...links];
}

/** "Prices | Bright Harbor Dental" → "Prices". */
function cleanTitle(title: string): string {
  const parts = title.split(/\s+[|–—·-]\s+/);
  return (parts[0] ?? title).trim();
}
