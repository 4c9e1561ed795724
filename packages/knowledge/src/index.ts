export { type Chunk, type ChunkOptions, chunkDocument, estimateTokens } from "./chunk.ts";
export {
  type CrawlEvent,
  type CrawledPage,
  type CrawlOptions,
  type CrawlProgress,
  type CrawlStopReason,
  crawlSite,
} from "./crawl/crawler.ts";
export {
  DEFAULT_USER_AGENT,
  type FetchPageOptions,
  fetchPage,
  PageFetchError,
  type WebDocument,
} from "./crawl/fetch-page.ts";
export { parseSitemap, type SitemapEntries } from "./crawl/sitemap.ts";
export { detectDocumentType } from "./detect.ts";
export { extractHtml, type HtmlExtraction } from "./extract/html.ts";
export { DEFAULT_MAX_DOCUMENT_BYTES, type ExtractOptions, extractDocument } from "./extract/index.ts";
export { contentHash } from "./hash.ts";
export {
  DOCUMENT_MEDIA_TYPES,
  type DocumentPage,
  type DocumentType,
  type ExtractedDocument,
  type Heading,
} from "./types.ts";
