import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";
import { startWorld, type World } from "../support/world.js";

let w: World;
let h: Harness;

afterEach(() => w.close());

/** Text that does not compress much (gzip cannot hide its size) and looks like no secret. */
function noise(chars: number, seed: number): string {
  let x = seed * 7919 + 17;
  let out = "";
  while (out.length < chars) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    out += x % 9 === 0 ? " " : String.fromCharCode(97 + (x % 26));
  }
  return out;
}

describe("a run's record, when it outgrows its comment", () => {
  it("keeps the status comment under 65,536 characters with 200 finished checks of long output, says what it cut, and cancel still works", async () => {
    w = await startWorld({ suitesOnPush: ["github-actions"] });
    h = w.h;
    const s = w.s;
    // The orchestrator is down: every mirror call (patches, check results, the plan) waits in the run's record.
    h.api!.fail({ status: 503, times: Infinity });
    const phases = ["P1", "P2", "P3"];
    scriptAgents(h.llm, {
      builds: Object.fromEntries(
        phases.map((id, n) => [
          id,
          [
            { summary: id, edits: [{ path: `${id}.txt`, action: "create", content: noise(20_000, n + 1) }] },
            { summary: `${id} again`, edits: [{ path: `${id}.md`, action: "create", content: "b\n" }] },
          ],
        ]),
      ),
    });
    h.hold = true;
    const issue = await s.label(yamlPlan({ T1: phases.map((id, n) => [id, `Phase ${id}`, `description: ${noise(3_000, 10 + n)}`]) }));
    await h.release();
    h.hold = true;
    for (const [n, id] of phases.entries()) {
      const head = s.pull(issue, id).head.sha;
      // 200 finished checks, each with thousands of characters of output; 40 of them failed.
      for (let i = 0; i < 200; i++) {
        const failed = i % 5 === 0;
        h.sim.addCheckRun(OWNER, REPO, head, {
          name: `job ${i}`,
          status: "completed",
          conclusion: failed ? "failure" : "success",
          output: {
            title: failed ? "Failed" : "Passed",
            summary: noise(6_000, 100 * n + i),
            ...(failed
              ? {
                  annotations: Array.from({ length: 5 }, (_, k) => ({
                    path: `${id}.txt`,
                    start_line: k + 1,
                    end_line: k + 1,
                    annotation_level: "failure" as const,
                    message: noise(400, 10_000 + 100 * n + i * 10 + k),
                  })),
                }
              : {}),
          },
        });
      }
      await s.ci(head, "failure", noise(6_000, 50 + n));
    }
    const status = s.status(issue);
    // The status comment says where the run is now (every write of it was taken) ...
    for (const id of phases) expect(status).toMatch(new RegExp(`${id}: Phase ${id} \\| executing · building \\| 2/3`));
    expect(status).toMatch(/\*\*Mirror\*\* pending/);
    // ... within GitHub's limit, saying what was cut from the run's record to get there.
    expect(status.length).toBeLessThan(65_536);
    expect(status).toContain("Cut from this run's record to fit this comment:");

    const cancel = await s.comment(issue, "/autopack cancel", "maintainer");
    expect(
      h.sim
        .reactions(OWNER, REPO, cancel)
        .map((r) => r.content)
        .sort(),
    ).toEqual(["eyes", "rocket"]);
    expect(s.status(issue)).toContain(": ⏹ Cancelled");
    expect(s.status(issue).length).toBeLessThan(65_536);
    // Every write of the status comment was taken: none was refused as too long.
    expect(h.sim.requests.filter((r) => r.path.includes("/issues/") && r.status === 422)).toEqual([]);
  }, 60_000);
});
