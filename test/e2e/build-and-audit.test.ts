import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";
import { startWorld, type World } from "../support/world.js";

const PLAN = [
  "```autopack",
  "tiers:",
  "  - tier_id: T1",
  "    name: Greeting",
  "    phases:",
  "      - phase_id: P1",
  "        name: Add the greeter",
  "        description: A greet() function with tests.",
  "        acceptance: [\"greet('Ada') returns 'Hello, Ada!'\"]",
  "      - phase_id: P2",
  "        name: Document greeting",
  "        task_category: docs",
  "  - tier_id: T2",
  "    name: Farewell",
  "    phases:",
  "      - phase_id: P3",
  "        name: Add farewell",
  "```",
].join("\n");

const GREETER = "export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n";

let w: World;
let h: Harness;

beforeEach(async () => {
  w = await startWorld({ files: { "README.md": "# widgets\n\nA small library.\n", "src/index.ts": "export {};\n" } });
  h = w.h;
});

afterEach(() => w.close());

describe("a two-phase tier", () => {
  it("is built into two PRs, each audited with a review and a check run, and mirrored in order", async () => {
    scriptAgents(h.llm, {
      builds: {
        P1: [
          {
            summary: "Add greet() with a test\n\nA pure function and one test.",
            edits: [
              { path: "src/greet.ts", action: "create", content: GREETER },
              {
                path: "src/index.ts",
                action: "update",
                replacements: [{ search: "export {};\n", replace: 'export { greet } from "./greet.js";\n' }],
              },
              { path: "test/greet.test.ts", action: "create", content: 'import { greet } from "../src/greet.js";\n' },
            ],
          },
        ],
        P2: [
          {
            summary: "Document greet()",
            edits: [
              {
                path: "README.md",
                action: "update",
                replacements: [{ search: "A small library.\n", replace: "A small library.\n\n`greet(name)` says hello.\n" }],
              },
            ],
          },
        ],
      },
      audits: { P1: [{ recommendation: "approve" }], P2: [{ recommendation: "approve" }] },
    });
    const issue = await w.s.label(PLAN);

    const pulls = h.sim.pulls(OWNER, REPO).sort((a, b) => a.number - b.number);
    expect(pulls.map((p) => [p.title, p.head.ref, p.base.ref])).toEqual([
      ["[Autopack P1] Add the greeter", `autopack/${issue}/P1`, "main"],
      ["[Autopack P2] Document greeting", `autopack/${issue}/P2`, "main"],
    ]);
    for (const pull of pulls) expect(pull.body).toContain(`Part of #${issue}`);

    const p1 = h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P1`);
    expect(p1["src/greet.ts"]).toBe(GREETER);
    expect(p1["src/index.ts"]).toBe('export { greet } from "./greet.js";\n');
    expect(p1["test/greet.test.ts"]).toBeDefined();
    expect(h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P2`)["README.md"]).toContain("`greet(name)` says hello.");

    for (const pull of pulls) {
      const head = pull.head.sha;
      const checks = h.sim.checkRuns(OWNER, REPO, head).filter((c) => c.name === "Autopack audit");
      expect(checks.map((c) => [c.status, c.conclusion])).toEqual([["completed", "success"]]);
      const reviews = h.sim.reviews(OWNER, REPO, pull.number);
      expect(reviews.map((r) => [r.state, r.commit_id])).toEqual([["COMMENTED", head]]);
    }

    const runId = `gh-${h.sim.repository(OWNER, REPO).id}-${issue}-1`;
    const calls = h.api!.calls.map((c) => c.path.replace(`/runs/${runId}/phases/`, ""));
    expect(calls[0]).toBe("/runs/start");
    for (const phase of ["P1", "P2"]) {
      expect(calls.filter((c) => c.startsWith(`${phase}/`))).toEqual([
        `${phase}/builder_result`,
        `${phase}/auditor_request`,
        `${phase}/auditor_result`,
      ]);
    }
    const builderResult = h.api!.calls.find((c) => c.path.endsWith("P1/builder_result"))!.body as Record<string, unknown>;
    expect(builderResult).toMatchObject({
      status: "success",
      builder_attempts: 1,
      files_changed: ["src/greet.ts", "src/index.ts", "test/greet.test.ts"],
    });
    expect(builderResult["patch_content"]).toContain("diff --git a/src/greet.ts b/src/greet.ts");
    expect(h.api!.runs.get(runId)!.phases.map((p) => [p.phase_id, p.state])).toEqual([
      ["P1", "COMPLETE"],
      ["P2", "COMPLETE"],
      ["P3", "QUEUED"],
    ]);

    const status = w.s.status(issue);
    expect(status).toContain("P1: Add the greeter | gate · approved, waiting for merge");
    expect(status).toContain("Review and merge the pull requests of tier T1");
  });
});
