#!/usr/bin/env node
// The README's test command. Runs, in order:
//   1. every package's suite on the embedded database (PGlite);
//   2. the database-backed suites again on PostgreSQL when one is reachable
//      (ORATIO_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test);
//   3. the dashboard's component tests and its end-to-end browser test.
// Prints which databases it used and a closing "N passed, N failed, N skipped" line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const extraArgs = process.argv.slice(2);
const pgUrl = process.env.ORATIO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const reports = mkdtempSync(path.join(tmpdir(), "oratio-test-reports-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
/** "suite › file › test: first line of the error", repeated at the end so a long log names what failed. */
const failures = [];
let failed = false;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===\n`);
  const report = path.join(reports, `${label.replace(/\W+/g, "-")}.json`);
  const result = spawnSync(
    command,
    [...args, "--reporter=default", "--reporter=json", `--outputFile=${report}`],
    {
      stdio: "inherit",
      env: { ...process.env, ...env },
    },
  );
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + (json.numTodoTests ?? 0);
    for (const file of json.testResults ?? []) {
      const name = path.relative(process.cwd(), file.name);
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      // A file that failed to load has no failed assertions, only a message.
      if (failedTests.length === 0 && file.status === "failed")
        failures.push(`${label} › ${name}: ${firstLine(file.message)}`);
      for (const test of failedTests)
        failures.push(`${label} › ${name} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  } catch {
    console.error(`(no report from ${label})`);
  }
  if (result.status !== 0) failed = true;
}

function firstLine(message) {
  return String(message ?? "(no message)")
    .split("\n")[0]
    .slice(0, 300);
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

run("Tests on PGlite (embedded)", "npx", ["vitest", "run", ...extraArgs]);

if (process.env.ORATIO_TEST_SKIP_POSTGRES === "1") {
  console.log("\nPostgreSQL run skipped: ORATIO_TEST_SKIP_POSTGRES=1");
} else if (await reachable(pgUrl)) {
  // Only the packages whose suites touch the database are repeated.
  run(
    `Tests on PostgreSQL (${new URL(pgUrl).host})`,
    "npx",
    ["vitest", "run", "packages/db", "packages/server", ...extraArgs],
    {
      ORATIO_TEST_DATABASE_URL: pgUrl,
    },
  );
} else {
  console.log(`\nPostgreSQL run skipped: nothing listening at ${new URL(pgUrl).host}`);
}

if (extraArgs.length === 0) {
  run("Dashboard component tests", "npm", ["test", "-w", "@oratio/web", "--"]);
  run("Dashboard end-to-end tests (Chromium)", "npm", ["run", "test:e2e", "-w", "@oratio/web", "--"]);
}

if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
