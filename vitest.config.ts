import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // At least two files at once, even on 2 cores (vitest's default there is one): the tests of
    // several processes spend most of their time waiting for GitHub's write spacing and for leases.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The tests that start the app as a process run `dist/main.js`, built here first.
    globalSetup: ["test/support/built-app.ts"],
  },
});
