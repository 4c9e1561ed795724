import { parseHTML } from "linkedom";

export interface SitemapEntries {
  pages: string[];
  /** Nested sitemaps listed by a sitemap index. */
  sitemaps: string[];
}

/** Reads `<urlset>` and `<sitemapindex>` documents; anything unparsable yields nothing. */
export function parseSitemap(xml: string): SitemapEntries {
  const { document } = parseHTML(`<html><body>${xml.replace(/<\?xml[^>]*\?>/, "")}</body></html>`);
  const read = (selector: string) =>
    [...document.querySelectorAll(selector)]
      .map((element) => element.textContent?.trim() ?? "")
      .filter((value) => /^https?:\/\//i.test(value));
  return { pages: read("url > loc"), sitemaps: read("sitemap > loc") };
}
