#!/usr/bin/env node
// The README's test command. Runs the whole suite on the embedded database (PGlite),
// then the database-backed suites again on PostgreSQL when one is reachable
// (ORATIO_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test).
import { spawnSync } from "node:child_process";
import net from "node:net";

const extraArgs = process.argv.slice(2);
const pgUrl = process.env.ORATIO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function vitest(label, env, args) {
  console.log(`\n=== Tests on ${label} ===\n`);
  const result = spawnSync("npx", ["vitest", "run", ...args, ...extraArgs], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 1500 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

let failed = vitest("PGlite (embedded)", {}, []) !== 0;

if (process.env.ORATIO_TEST_SKIP_POSTGRES === "1") {
  console.log("\nPostgreSQL run skipped: ORATIO_TEST_SKIP_POSTGRES=1");
} else if (await reachable(pgUrl)) {
  // Only the packages whose suites touch the database are repeated.
  const dbSuites = ["packages/db", "packages/server"];
  failed =
    vitest(`PostgreSQL (${new URL(pgUrl).host})`, { ORATIO_TEST_DATABASE_URL: pgUrl }, dbSuites) !== 0 ||
    failed;
} else {
  console.log(`\nPostgreSQL run skipped: nothing listening at ${new URL(pgUrl).host}`);
}
process.exit(failed ? 1 : 0);
