/** File extensions that are never HTML pages; links to them are skipped without a request. */
const NON_HTML = new Set(
  (
    "pdf doc docx xls xlsx ppt pptx odt ods csv txt md zip gz tgz rar 7z png jpg jpeg gif svg webp avif ico bmp tif " +
    "tiff mp3 mp4 m4a wav ogg webm mov avi css js mjs json xml rss atom woff woff2 ttf otf eot exe dmg apk iso"
  ).split(" "),
);

/** Canonical form used to avoid fetching a page twice: no fragment, no default port. */
export function normalizeUrl(input: string, base?: string): string | undefined {
  try {
    const url = new URL(input, base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** Same host and port, ignoring a leading `www.` and the http/https difference. */
export function isSameSite(url: string, start: string): boolean {
  const a = new URL(url);
  const b = new URL(start);
  const host = (u: URL) => u.hostname.replace(/^www\./, "");
  const port = (u: URL) => u.port || (u.protocol === "https:" ? "443" : "80");
  const samePort = port(a) === port(b) || (!a.port && !b.port);
  return host(a) === host(b) && samePort;
}

export function looksLikeNonHtml(url: string): boolean {
  const path = new URL(url).pathname.toLowerCase();
  const extension = path.match(/\.([a-z0-9]+)$/)?.[1];
  return extension !== undefined && NON_HTML.has(extension);
}

export function isHtmlContentType(contentType: string | null): boolean {
  if (!contentType) return true;
  const essence = contentType.split(";")[0]!.trim().toLowerCase();
  return essence === "text/html" || essence === "application/xhtml+xml";
}
