import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_MAIN } from "./support/built-app.js";

/** Starts the app in an empty working directory (so no .env is read) with only `env`; it must exit. */
function start(env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), "autopack-start-"));
  return spawnSync(process.execPath, [BUILT_MAIN], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

// With no credentials at all (outside production) the app serves Probot's setup page instead:
// see test/e2e/setup-page.test.ts.
describe("starting the app with some credentials missing", () => {
  it("names exactly what is missing and exits without a stack trace", () => {
    const result = start({ APP_ID: "12345" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Autopack cannot start");
    expect(result.stderr).toContain("PRIVATE_KEY is not set");
    expect(result.stderr).toContain("WEBHOOK_SECRET is not set");
    expect(result.stderr).not.toContain("APP_ID is not set");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("in production, with none at all, says what to set rather than serving a setup page", () => {
    const result = start({ NODE_ENV: "production" });
    expect(result.status).toBe(1);
    for (const name of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"]) expect(result.stderr).toContain(`${name} is not set`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("with no credentials but another variable wrong, names that variable and exits", () => {
    const result = start({ AUTOPACK_ROLE: "conductor" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("AUTOPACK_ROLE must be all, web or worker");
    expect(result.stderr).not.toContain("APP_ID");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
