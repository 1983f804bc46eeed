import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // The tests that start the app as a process run `dist/main.js`, built here first.
    globalSetup: ["test/support/built-app.ts"],
  },
});
