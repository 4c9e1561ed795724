#!/usr/bin/env node
// `npm start`: builds the dashboard on first run, then runs the server from its
// TypeScript sources in this one process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const dashboardIndex = fileURLToPath(new URL("../packages/web/dist/index.html", import.meta.url));
if (!process.env.ORATIO_DASHBOARD_DIR && !existsSync(dashboardIndex)) {
  console.error("Building the dashboard (first start only)…");
  const build = spawnSync("npm", ["run", "build", "-w", "@oratio/web"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) {
    console.error(
      "The dashboard build failed; the API will still start. Run `npm run build -w @oratio/web` to retry.",
    );
  }
}

register();
await import("../packages/server/src/main.ts");
