import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents, type AuditScript, type BuildScript } from "../support/scripted-agents.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

let w: World;
let h: Harness;

async function world(options: WorldOptions = {}, files: Record<string, string> = {}) {
  w = await startWorld({ ...options, files, people: { reader: "read" } });
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

const create = (path: string, content: string, summary = `Add ${path}`): BuildScript => ({
  summary,
  edits: [{ path, action: "create", content }],
});
const approve: AuditScript = { recommendation: "approve" };

describe("the Supervisor, end to end", () => {
  it("takes a 2-tier, 3-phase plan to DONE_SUCCESS as people merge each tier", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n")], P2: [create("b.txt", "b\n")], P3: [create("c.txt", "c\n")] },
      audits: { P1: [approve], P2: [approve], P3: [approve] },
    });
    const issue = await s.label(
      yamlPlan({
        T1: [
          ["P1", "First"],
          ["P2", "Second"],
        ],
        T2: [["P3", "Third"]],
      }),
    );
    expect(h.sim.pulls(OWNER, REPO)).toHaveLength(2);
    await s.merge(issue, "P1");
    expect(h.sim.pulls(OWNER, REPO)).toHaveLength(2);
    await s.merge(issue, "P2");
    // Tier T2 is built on the merged default branch.
    expect(h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P3`)).toMatchObject({ "a.txt": "a\n", "b.txt": "b\n", "c.txt": "c\n" });
    await s.merge(issue, "P3");
    expect(s.status(issue)).toContain(": ✅ Done");
    expect(s.labels(issue)).toContain("autopack:done");
    const summary = s.botComments(issue).find((c) => c.body?.includes("autopack:summary"));
    expect(summary?.body).toContain("finished: every phase is merged");
    expect(summary?.body).toMatch(/\| P3 \| Third \| complete \| 1 build, 1 audit \| approve \|/);
  });

  it("revises then approves: the second build is shown the audit's findings", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: {
        P1: [
          create("greet.ts", "export const greet = 1;\n"),
          { summary: "Use a function", edits: [{ path: "greet.ts", action: "update", content: "export function greet() {}\n" }] },
        ],
      },
      audits: {
        P1: [
          {
            recommendation: "revise",
            findings: [
              { path: "greet.ts", line: 1, severity: "major", category: "bug", message: "greet must be a function, not a number" },
            ],
          },
          approve,
        ],
      },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Greeter"]] }));
    const prompts = s.buildPrompts("P1");
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain("greet must be a function, not a number");
    const pr = s.pull(issue, "P1");
    expect(h.sim.fileAt(OWNER, REPO, pr.head.sha, "greet.ts")).toBe("export function greet() {}\n");
    // The first review's inline comment sits on the diff line it is about.
    expect(h.sim.reviewComments(OWNER, REPO, pr.number).map((c) => [c.path, c.line])).toEqual([["greet.ts", 1]]);
    expect(s.status(issue)).toMatch(/P1: Greeter \| gate · approved, waiting for merge \| 2\/3/);
  });

  it("escalates when attempts run out; a reader's retry does nothing, a maintainer's retry succeeds", async () => {
    const s = await world();
    const revise: AuditScript = {
      recommendation: "revise",
      findings: [{ path: null, line: null, severity: "major", category: "test", message: "no tests" }],
    };
    scriptAgents(h.llm, {
      // docs: 2 builder attempts and 1 audit per round; a revise with no audit left escalates at once
      builds: { P1: [create("doc.md", "v1\n"), create("doc2.md", "v2\n")] },
      audits: { P1: [revise, approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Docs", "task_category: docs"]] }));
    expect(s.status(issue)).toContain("needs a person");
    expect(s.labels(issue)).toContain("autopack:needs-human");
    const escalation = s.botComments(issue).find((c) => c.body?.includes("autopack:escalation"));
    expect(escalation?.body).toContain("@maintainer Phase P1 needs a person: Auditor attempts exhausted (1) without an approval");

    const readerComment = await s.comment(issue, "/autopack retry", "reader");
    await s.comment(issue, "/autopack retry", "reader");
    const polite = s.botComments(issue).filter((c) => c.body?.includes("only people with write access"));
    expect(polite).toHaveLength(1);
    expect(h.sim.reactions(OWNER, REPO, readerComment)).toEqual([]);
    expect(s.buildPrompts("P1")).toHaveLength(1);

    const retry = await s.comment(issue, "/autopack retry", "maintainer");
    expect(
      h.sim
        .reactions(OWNER, REPO, retry)
        .map((r) => r.content)
        .sort(),
    ).toEqual(["eyes", "rocket"]);
    const prompts = s.buildPrompts("P1");
    expect(prompts).toHaveLength(2);
    // The retried build is shown what the Auditor asked for.
    expect(prompts[1]).toContain("no tests");
    // The retry granted a fresh budget: attempts count from it.
    expect(s.status(issue)).toMatch(/P1: Docs \| gate · approved, waiting for merge \| 1\/2 \(2 in all\) \|/);
    expect(s.labels(issue)).not.toContain("autopack:needs-human");
  });

  it("sends a phase back to the Builder when a person requests changes, with their comments", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: {
        P1: [
          create("name.txt", "colour\n"),
          { summary: "Spell it the US way", edits: [{ path: "name.txt", action: "update", content: "color\n" }] },
        ],
      },
      audits: { P1: [approve, approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Name"]] }));
    const pr = s.pull(issue, "P1");
    const review = h.sim.addReview(OWNER, REPO, pr.number, {
      user: "maintainer",
      event: "REQUEST_CHANGES",
      body: "Please use US spelling.",
      comments: [{ path: "name.txt", line: 1, side: "RIGHT", body: "colour -> color" }],
    });
    const event = h.sim.events.pullRequestReviewSubmitted({ owner: OWNER, repo: REPO, pull: pr.number, review });
    await h.send(event.name, event.payload);
    const prompts = s.buildPrompts("P1");
    expect(prompts).toHaveLength(2);
    expect(prompts[1]).toContain("Please use US spelling.");
    expect(prompts[1]).toContain("colour -> color");
    expect(h.sim.fileAt(OWNER, REPO, s.pull(issue, "P1").head.sha, "name.txt")).toBe("color\n");
  });

  it("rebuilds with the failure when the repository's CI fails, then audits the green commit", async () => {
    const s = await world();
    // The default branch has CI, so the phase waits for it.
    h.sim.addCheckRun(OWNER, REPO, h.sim.branchHead(OWNER, REPO, "main")!, { name: "test", status: "completed", conclusion: "success" });
    scriptAgents(h.llm, {
      builds: {
        P1: [
          create("sum.js", "module.exports = (a, b) => a - b;\n"),
          { summary: "Fix the sign", edits: [{ path: "sum.js", action: "update", content: "module.exports = (a, b) => a + b;\n" }] },
        ],
      },
      audits: { P1: [approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Sum"]] }));
    expect(s.status(issue)).toContain("waiting for checks");
    const first = s.pull(issue, "P1").head.sha;
    await s.ci(first, "failure", "expected 3, received -1", [{ path: "sum.test.js", line: 4, message: "sum(1, 2) should be 3" }]);
    expect(s.buildPrompts("P1")[1]).toContain("expected 3, received -1");
    expect(s.buildPrompts("P1")[1]).toContain("sum.test.js:4: failure: sum(1, 2) should be 3");
    const second = s.pull(issue, "P1").head.sha;
    expect(second).not.toBe(first);
    expect(h.llm.requests.filter((r) => JSON.stringify(r.response_format ?? "").includes("autopack_audit"))).toHaveLength(0);
    await s.ci(second, "success");
    expect(h.sim.checkRuns(OWNER, REPO, second).find((c) => c.name === "Autopack audit")?.conclusion).toBe("success");
    // Each builder_result waits for its commit's checks and carries them as probe results.
    const builderResults = h
      .api!.calls.filter((c) => c.path.endsWith("/builder_result"))
      .map(
        (c) =>
          c.body as {
            status: string;
            builder_attempts: number;
            probe_results: { probe_type: string; exit_code: number; stderr: string }[];
          },
      );
    expect(builderResults.map((b) => [b.status, b.builder_attempts, b.probe_results.map((p) => [p.probe_type, p.exit_code])])).toEqual([
      ["success", 1, [["check_run:test", 1]]],
      ["success", 2, [["check_run:test", 0]]],
    ]);
    expect(builderResults[0]!.probe_results[0]!.stderr).toContain("sum(1, 2) should be 3");
  });

  it("escalates a check that never finishes", async () => {
    let now = new Date("2026-03-01T10:00:00Z");
    const s = await world({ now: () => now }, { ".github/autopack.yml": "ci:\n  timeout_minutes: 30\n" });
    h.sim.addCheckRun(OWNER, REPO, h.sim.branchHead(OWNER, REPO, "main")!, { name: "test", status: "completed", conclusion: "success" });
    scriptAgents(h.llm, { builds: { P1: [create("x.txt", "x\n")] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Slow CI"]] }));
    h.sim.addCheckRun(OWNER, REPO, s.pull(issue, "P1").head.sha, { name: "test", status: "in_progress" });
    now = new Date("2026-03-01T10:31:00Z");
    await s.comment(issue, "/autopack status", "maintainer");
    expect(s.status(issue)).toContain("checks did not finish within 30 minutes");
    expect(s.labels(issue)).toContain("autopack:needs-human");
  });

  it("stops the run when its token budget is spent mid-run", async () => {
    const s = await world();
    h.llm.fallback(() => ({ json: { files: [] }, usage: { prompt_tokens: 9_000, completion_tokens: 500 } }));
    const issue = await s.label(yamlPlan({ T1: [["P1", "Expensive"]], T2: [["P2", "Never"]] }, ["token_cap: 12000"]));
    expect(s.status(issue)).toContain("budget exhausted");
    expect(s.labels(issue)).toContain("autopack:failed");
    expect(s.botComments(issue).some((c) => c.body?.includes("autopack:summary"))).toBe(true);
    expect(h.sim.pulls(OWNER, REPO)).toEqual([]);
  });

  it("cancels: nothing new is scheduled and open PRs stay for people", async () => {
    const s = await world({ hold: true });
    const issue = await s.label(
      yamlPlan({
        T1: [
          ["P1", "One"],
          ["P2", "Two"],
        ],
      }),
    );
    const cancel = await s.comment(issue, "/autopack cancel", "maintainer");
    expect(
      h.sim
        .reactions(OWNER, REPO, cancel)
        .map((r) => r.content)
        .sort(),
    ).toEqual(["eyes", "rocket"]);
    // Names in the table are not pings: the @ is defused.
    expect(s.status(issue)).toContain("Cancelled by @\u200Dmaintainer");
    await h.release();
    // The held builds find the run ended and do nothing.
    expect(h.llm.requests).toEqual([]);
    expect(s.labels(issue)).toContain("autopack:failed");
    // Cancelled is not "needs a person": nothing escalated.
    expect(s.status(issue)).toContain(": ⏹ Cancelled");
    expect(s.labels(issue)).not.toContain("autopack:needs-human");
  });

  it("auto-merges approved PRs and moves on", async () => {
    const s = await world({}, { ".github/autopack.yml": "auto_merge: true\n" });
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n")], P2: [create("b.txt", "b\n")] },
      audits: { P1: [approve], P2: [approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]], T2: [["P2", "Two"]] }));
    // Merging is the app's act; GitHub's pull_request.closed event then moves the run on.
    const p1 = s.pull(issue, "P1");
    expect(p1.merged).toBe(true);
    const closed = h.sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: p1.number, sender: h.sim.botLogin });
    await h.send(closed.name, closed.payload);
    const p2 = s.pull(issue, "P2");
    expect(p2.merged).toBe(true);
    await h.send(
      h.sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: p2.number, sender: h.sim.botLogin }).name,
      h.sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: p2.number, sender: h.sim.botLogin }).payload,
    );
    expect(s.status(issue)).toContain("✅ Done");
  });

  it("reports a merge that branch protection refuses, and leaves the PR to people", async () => {
    const s = await world({}, { ".github/autopack.yml": "auto_merge: true\n" });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt", "a\n")] }, audits: { P1: [{ recommendation: "approve", summary: "ok" }] } });
    h.sim.fault({
      method: "PUT",
      path: /\/pulls\/\d+\/merge$/,
      status: 405,
      body: { message: "At least 1 approving review is required by reviewers with write access." },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const pr = s.pull(issue, "P1");
    expect(pr.merged).toBe(false);
    const note = h.sim.comments(OWNER, REPO, pr.number).find((c) => c.body?.includes("refused to merge"));
    expect(note?.body).toContain("At least 1 approving review is required");
    expect(s.status(issue)).toContain("approved, waiting for merge");
  });

  it("shows tokens and an estimated cost from the configured prices", async () => {
    const prices =
      "prices:\n  builder-model: { input_per_million: 2, output_per_million: 8 }\n  auditor-model: { input_per_million: 2, output_per_million: 8 }\n";
    const s = await world({}, { ".github/autopack.yml": prices });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt", "a\n")] }, audits: { P1: [approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    expect(s.status(issue)).toMatch(/\*\*Tokens\*\* \d+ \/ 5\.00M \(about \$0\.\d\d\)/);
    await s.merge(issue, "P1");
    const summary = s.botComments(issue).find((c) => c.body?.includes("autopack:summary"));
    expect(summary?.body).toMatch(/\*\*Estimated cost\*\* \$0\.\d\d/);
  });

  it("re-audits when a person presses Re-run on the Autopack audit check", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n")] },
      audits: { P1: [{ recommendation: "escalate", summary: "unsure" }, approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const head = s.pull(issue, "P1").head.sha;
    const check = h.sim.checkRuns(OWNER, REPO, head).find((c) => c.name === "Autopack audit")!;
    expect(check.conclusion).toBe("failure");
    const rerun = h.sim.events.checkRunRerequested({ owner: OWNER, repo: REPO, checkRun: check.id, sender: "maintainer" });
    await h.send(rerun.name, rerun.payload);
    const audits = h.sim.checkRuns(OWNER, REPO, head).filter((c) => c.name === "Autopack audit");
    expect(audits.map((c) => c.conclusion)).toEqual(["failure", "success"]);
    expect(s.status(issue)).toContain("approved, waiting for merge");
  });

  it("marks a phase whose PR a person closed, until /autopack retry builds it again from the base", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n"), create("b.txt", "a better idea\n")] },
      audits: { P1: [approve, approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    await s.close(issue, "P1");
    expect(s.status(issue)).toContain("closed without merging");
    await s.comment(issue, "/autopack retry P1", "maintainer");
    expect(s.buildPrompts("P1")).toHaveLength(2);
    // The turned-down work is gone: the branch starts over from the base, under a new PR, audited again.
    const reopened = h.sim.pulls(OWNER, REPO).filter((p) => p.state === "open");
    expect(reopened).toHaveLength(1);
    const head = reopened[0]!.head.sha;
    expect(h.sim.commit(OWNER, REPO, head)?.parents.map((p) => p.sha)).toEqual([h.sim.branchHead(OWNER, REPO, "main")]);
    expect(h.sim.fileAt(OWNER, REPO, head, "a.txt")).toBeUndefined();
    expect(h.sim.fileAt(OWNER, REPO, head, "b.txt")).toBe("a better idea\n");
    expect(s.status(issue)).toContain("approved, waiting for merge");
  });
});
