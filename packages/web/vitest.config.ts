import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

// Component tests: the pages render in happy-dom and talk to a real Oratio server.
export default defineConfig({
  plugins: [react()],
  test: {
    root: import.meta.dirname,
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    environment: "happy-dom",
    globalSetup: [path.join(root, "scripts/vitest-global-setup.ts"), "./test/server-global-setup.ts"],
    setupFiles: ["./test/setup.ts"],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
