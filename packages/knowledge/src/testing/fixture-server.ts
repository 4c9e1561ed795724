import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The fixture business (site, documents, SOP, evaluation set) at the repository root. */
export const BUSINESS_FIXTURE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../fixtures/business",
);

/** The origin written into the fixture site's sitemap.xml and robots.txt. */
export const FIXTURE_SITE_ORIGIN = "http://harborviewdental.example";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".pdf": "application/pdf",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

export type FixtureRoute = (request: IncomingMessage, response: ServerResponse, origin: string) => void;

export interface FixtureServerOptions {
  /** Directory served as the site root. Default: the fixture business site. */
  root?: string;
  /** Extra handlers by exact path, checked before files (redirects, slow or broken pages). */
  routes?: Record<string, FixtureRoute>;
}

export interface FixtureServer {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  /** Every request path in arrival order, e.g. `/robots.txt`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the fixture website on 127.0.0.1 with a random port. `FIXTURE_SITE_ORIGIN` in
 * sitemap.xml and robots.txt is rewritten to the real origin, as a live site's absolute
 * URLs would point at itself. Directory paths serve their index.html.
 */
export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const root = path.resolve(options.root ?? path.join(BUSINESS_FIXTURE_DIR, "site"));
  const requests: string[] = [];
  let origin = "";
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://fixture").pathname;
    requests.push(pathname);
    const route = options.routes?.[pathname];
    if (route) return route(request, response, origin);
    serveFile(root, pathname, origin, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serveFile(
  root: string,
  pathname: string,
  origin: string,
  response: ServerResponse,
): Promise<void> {
  const relative = decodeURIComponent(pathname).replace(/\/$/, "/index.html");
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root + path.sep)) {
    response.writeHead(403).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    response.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("<h1>Not found</h1>");
    return;
  }
  const extension = path.extname(file);
  if (extension === ".xml" || extension === ".txt") {
    body = Buffer.from(body.toString("utf8").replaceAll(FIXTURE_SITE_ORIGIN, origin));
  }
  response.writeHead(200, {
    "content-type": CONTENT_TYPES[extension] ?? "application/octet-stream",
    "content-length": body.byteLength,
  });
  response.end(body);
}
