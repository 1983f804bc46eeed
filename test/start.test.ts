import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");

describe("starting the app", () => {
  it("without credentials, says exactly what to set and exits without a stack trace", () => {
    // An empty working directory, so no .env is read.
    const cwd = mkdtempSync(join(tmpdir(), "autopack-start-"));
    const result = spawnSync(tsx, [join(root, "src", "main.ts")], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Autopack cannot start");
    for (const name of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"]) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
