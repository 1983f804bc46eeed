import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/layering/", import.meta.url));

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs the project's dependency rule (`.dependency-cruiser.cjs`) over `src` of a directory. */
async function violations(cwd: string): Promise<Violation[]> {
  const bin = fileURLToPath(new URL("../node_modules/dependency-cruiser/bin/dependency-cruise.mjs", import.meta.url));
  const args = [bin, "src", "--config", `${root}.dependency-cruiser.cjs`, "--output-type", "json"];
  const run = await promisify(execFile)(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
  );
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

describe("the dependency rule", () => {
  it("holds for the whole of src, with no exceptions", async () => {
    const found = await violations(root);
    expect(found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  }, 60_000);

  it("catches an import that runs back up, and GitHub's SDK or client type outside src/github", async () => {
    const found = await violations(fixture);
    expect(found.map((v) => v.rule.name).sort()).toEqual([
      "domain-imports-no-port-or-upper-layer",
      "octokit-only-in-github",
      "octokit-types-only-in-github",
      "probot-only-in-app-and-github",
    ]);
  }, 60_000);
});
