import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "./context.ts";

/** Paths the dashboard never answers: they belong to the API and the server itself. */
const RESERVED_PREFIXES = ["/api", "/v1", "/docs", "/openapi.json", "/healthz", "/readyz"];

/** Stands in index.html (Vite's `html.cspNonce`) for the nonce each page load gets. */
const NONCE_PLACEHOLDER = "__ORATIO_CSP_NONCE__";

/**
 * The dashboard may load its own scripts, styles, fonts and images and talk to this server
 * only: no inline script, no third-party origin, no framing. The one exception is a
 * `<style>` the UI library injects at run time, which carries this page load's nonce.
 * Call recordings are fetched with credentials and played from `blob:` URLs.
 */
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/** Vite puts content-hashed files under /assets: their URL changes whenever their bytes do. */
const HASHED_ASSET_CACHE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

function isReserved(urlPath: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** The file under `root` a URL path names, or undefined when it would leave `root`. */
function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const file = path.resolve(root, `.${decoded}`);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the built dashboard from `distDir`: its files as they are (hashed assets cached for
 * a year), and `index.html` for every other GET outside the API so client-side routes such
 * as /members survive a reload. Register it after the API routes.
 */
export function mountDashboard(app: Hono<AppEnv>, distDir: string): void {
  const root = path.resolve(distDir);
  const indexFile = path.join(root, "index.html");

  app.get("*", async (c, next) => {
    const urlPath = c.req.path;
    if (isReserved(urlPath)) return next();

    const file = urlPath === "/" ? undefined : resolveInside(root, urlPath);
    if (file && file !== indexFile && (await isFile(file))) {
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      const cache = urlPath.startsWith("/assets/") ? HASHED_ASSET_CACHE : REVALIDATE;
      return c.body(new Uint8Array(await readFile(file)), 200, {
        "content-type": type,
        "cache-control": cache,
        "x-content-type-options": "nosniff",
      });
    }
    // A missing file (a stale hashed asset, say) is a 404, not the app's HTML.
    if (path.extname(urlPath) && urlPath !== "/index.html") return next();

    let html: string;
    try {
      html = await readFile(indexFile, "utf8");
    } catch {
      return c.text(
        "The dashboard has not been built. Run `npm run build -w @oratio/web`, then reload.",
        503,
        { "cache-control": REVALIDATE },
      );
    }
    const nonce = randomBytes(16).toString("base64");
    return c.body(html.replaceAll(NONCE_PLACEHOLDER, nonce), 200, {
      "content-type": CONTENT_TYPES[".html"]!,
      "cache-control": REVALIDATE,
      "content-security-policy": dashboardCsp(nonce),
      "x-content-type-options": "nosniff",
    });
  });
}
