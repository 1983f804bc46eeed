import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents, type BuildScript } from "../support/scripted-agents.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

let w: World;
let h: Harness;

async function world(options: WorldOptions = {}) {
  w = await startWorld(options);
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

const create = (path: string, content: string): BuildScript => ({ summary: `Add ${path}`, edits: [{ path, action: "create", content }] });

/** Audit requests the fake model received. */
const audits = () => h.llm.requests.filter((r) => JSON.stringify(r.response_format ?? "").includes("autopack_audit"));
const auditChecks = (sha: string) => h.sim.checkRuns(OWNER, REPO, sha).filter((c) => c.name === "Autopack audit");

/** A second workflow of the repository's CI reports on a commit: a check run of its own, then GitHub's event. */
async function lateCheck(sha: string, conclusion: "success" | "failure", summary: string): Promise<void> {
  const id = h.sim.addCheckRun(OWNER, REPO, sha, { name: "lint", status: "completed", conclusion, output: { title: "Lint", summary } });
  const event = h.sim.events.checkRunCompleted({ owner: OWNER, repo: REPO, checkRun: id });
  await h.send(event.name, event.payload);
}

describe("the CI gate, against GitHub's timing", () => {
  it("waits for a workflow whose check suite exists but has not reported yet, then gives its failure to the Builder", async () => {
    // The repository has workflows: GitHub makes a check suite at every push, its runs come later.
    // The app's own suite (GitHub makes one for every app with the checks permission) is not CI.
    const s = await world({ suitesOnPush: ["github-actions", "autopack"] });
    scriptAgents(h.llm, {
      builds: { P1: [create("sum.js", "a - b\n"), create("sum2.js", "a + b\n")] },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Sum"]] }));
    const first = s.pull(issue, "P1").head.sha;
    expect(h.sim.checkSuites(OWNER, REPO, first).map((x) => [x.app?.slug, x.status, x.latest_check_runs_count])).toEqual([
      ["github-actions", "queued", 0],
      ["autopack", "queued", 0],
    ]);
    // No check run yet is not "no CI": nothing is audited.
    expect(s.status(issue)).toContain("waiting for checks");
    expect(audits()).toHaveLength(0);

    await s.ci(first, "failure", "expected 3, received -1");
    expect(s.buildPrompts("P1")[1]).toContain("expected 3, received -1");
    const second = s.pull(issue, "P1").head.sha;
    expect(s.status(issue)).toContain("waiting for checks");
    expect(audits()).toHaveLength(0);
    await s.ci(second, "success");
    expect(auditChecks(second).map((c) => c.conclusion)).toEqual(["success"]);
    expect(s.status(issue)).toContain("approved, waiting for merge");
  });

  it("sends an approved phase back to the Builder when a check fails after the audit, and its audit check stops passing", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n"), create("b.txt", "b\n")] },
      audits: { P1: [{ recommendation: "approve" }, { recommendation: "approve" }] },
    });
    // No workflow has reported yet (nor made a suite): the phase is audited and approved at once.
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const first = s.pull(issue, "P1").head.sha;
    expect(s.status(issue)).toContain("approved, waiting for merge");
    expect(auditChecks(first).map((c) => c.conclusion)).toEqual(["success"]);

    // Then a workflow reports, red.
    await lateCheck(first, "failure", "no-unused-vars: b is never used");
    const prompts = s.buildPrompts("P1");
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain("no-unused-vars: b is never used");
    // The head whose checks failed keeps no passing audit check.
    expect(auditChecks(first).map((c) => [c.conclusion, c.output.title])).toEqual([["failure", "Withdrawn: the verdict no longer stands"]]);
    const second = s.pull(issue, "P1").head.sha;
    expect(second).not.toBe(first);
    expect(auditChecks(second).map((c) => c.conclusion)).toEqual(["success"]);
    expect(s.status(issue)).toContain("approved, waiting for merge");
  });

  it("sends a phase back to the Builder when a check fails while it is being audited; the old audit never counts", async () => {
    const s = await world({ suitesOnPush: ["github-actions"] });
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n"), create("b.txt", "b\n")] },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const first = s.pull(issue, "P1").head.sha;
    // The first workflow passes: the audit is queued (and held here, as if the model were slow).
    h.hold = true;
    await s.ci(first, "success");
    expect(s.status(issue)).toContain("auditing");
    expect(h.held.map((j) => j.job.kind)).toEqual(["audit"]);
    // A second workflow of the same push fails meanwhile.
    await lateCheck(first, "failure", "lint failed");
    expect(s.status(issue)).toMatch(/P1: One \| executing · building \| 2\/3/);
    await h.release();
    // The held audit found its attempt gone and did nothing; the new build was audited instead.
    expect(auditChecks(first)).toEqual([]);
    expect(s.buildPrompts("P1")[1]).toContain("lint failed");
    expect(s.status(issue)).toContain("waiting for checks");
    await s.ci(s.pull(issue, "P1").head.sha, "success");
    expect(s.status(issue)).toContain("approved, waiting for merge");
    expect(audits()).toHaveLength(1);
  });
});
