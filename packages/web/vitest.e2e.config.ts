import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

// The browser test: a real server with the built dashboard, driven in Chromium.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    globalSetup: [path.join(root, "scripts/vitest-global-setup.ts")],
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
