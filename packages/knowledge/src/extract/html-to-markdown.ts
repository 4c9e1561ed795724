import TurndownService from "turndown";

/**
 * HTML to Markdown for indexing: headings become `#` lines (the chunker follows them),
 * links keep only their text (URLs are noise for search), images and scripts go, and tables
 * become pipe rows so a price table stays one readable row per line.
 */
export function htmlToMarkdown(html: string): string {
  return createTurndown().turndown(html);
}

/** The one DOM member the table rule reads; the package compiles without the DOM library. */
interface ElementLike {
  querySelector(selector: string): { textContent: string | null } | null;
}

function createTurndown(): TurndownService {
  const service = new TurndownService({
    headingStyle: "atx",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
    emDelimiter: "_",
  });
  service.remove([
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
    "form",
    "img",
  ] as never);
  service.addRule("plainLinks", {
    filter: "a",
    replacement: (content) => content,
  });
  service.addRule("tableCell", {
    filter: ["th", "td"],
    replacement: (content) => ` ${content.replace(/\s*\n\s*/g, " ").trim()} |`,
  });
  service.addRule("tableRow", {
    filter: "tr",
    replacement: (content) => `|${content}\n`,
  });
  service.addRule("tableSection", {
    filter: ["thead", "tbody", "tfoot"],
    replacement: (content) => content,
  });
  service.addRule("table", {
    filter: "table",
    replacement: (content, node) => {
      const caption = (node as unknown as ElementLike).querySelector("caption")?.textContent?.trim();
      const body = content.replace(caption ?? "\u0000", "").trim();
      return `\n\n${caption ? `${caption}\n\n` : ""}${body}\n\n`;
    },
  });
  service.addRule("caption", { filter: "caption", replacement: () => "" });
  return service;
}
