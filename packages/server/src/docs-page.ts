import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "./context.ts";

/**
 * API reference at /docs, rendered by Scalar from /openapi.json. The Scalar bundle is
 * served from our own dependency (no CDN) so the page works offline.
 */
export function mountDocs(app: Hono<AppEnv>): void {
  const bundlePath = path.join(
    path.dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")),
    "browser",
    "standalone.js",
  );
  let bundle: Promise<Buffer> | undefined;

  app.get("/docs", (c) =>
    c.html(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Oratio API reference</title>
</head>
<body>
  <script id="api-reference" data-url="/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":true}'></script>
  <script src="/docs/scalar.js"></script>
</body>
</html>`),
  );

  app.get("/docs/scalar.js", async (c) => {
    bundle ??= readFile(bundlePath);
    return c.body(new Uint8Array(await bundle), 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    });
  });
}
