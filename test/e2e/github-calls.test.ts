import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { OWNER, REPO, scenario, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
  h.sim.setPermission(OWNER, REPO, "maintainer", "maintain");
});

afterEach(async () => {
  h.sim.assertClean();
  await h.close();
});

/** A one-phase run from the label to its merge: built once, approved, merged by a person. */
async function oneMergedPhase(): Promise<void> {
  const s = scenario(h);
  scriptAgents(h.llm, {
    builds: { P1: [{ summary: "Add a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }] },
    audits: { P1: [{ recommendation: "approve" }] },
  });
  const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
  await s.merge(issue, "P1");
  expect(s.labels(issue)).toContain("autopack:done");
}

/** A two-phase run (one phase per tier) labelled and under way: P1 is built and audited. */
async function twoPhaseRun() {
  const s = scenario(h);
  scriptAgents(h.llm, {
    builds: {
      P1: [{ summary: "Add a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }],
      P2: [{ summary: "Add b", edits: [{ path: "b.txt", action: "create", content: "b\n" }] }],
    },
    audits: { P1: [{ recommendation: "approve" }], P2: [{ recommendation: "approve" }] },
  });
  return { s, issue: await s.label(yamlPlan({ T1: [["P1", "One"]], T2: [["P2", "Two"]] })) };
}

describe("calls to GitHub, counted per verb of the door", () => {
  it("a one-phase run reads its configuration once per job, asks about the person once and writes each thing once", async () => {
    await oneMergedPhase();

    const calls = h.calls;
    // Label, build, build recorded, audit, audit recorded, merge seen: each job opens the repository once.
    const jobs = calls.of("installation");
    expect(jobs).toBeGreaterThan(0);
    expect(jobs).toBeLessThanOrEqual(6);
    // ... and reads the repository, `.github/autopack.yml` and the issue's comments once.
    for (const verb of ["info", "config", "comments"]) expect(calls.of(verb), verb).toBe(jobs);
    // The phase PR is read once per turn that looks at it, and twice by the audit (before and after the
    // model): no more often, in all, than there are jobs.
    expect(calls.of("pull")).toBeLessThanOrEqual(jobs);
    // The person who added the label is asked about once; who the app is, once for the process.
    expect(calls.of("collaboratorPermission")).toBe(1);
    // The issue's label events are read once, to number the run.
    expect(calls.of("labelEvents")).toBe(1);
    expect(h.sim.requests.filter((r) => r.method === "GET" && r.path === "/app")).toHaveLength(1);
    // The audit made its check run first, so it knows it has posted no review yet: it does not look for one.
    expect(calls.of("findAppReview")).toBe(0);
    // The base branch's tree is listed from its head commit; the commit itself is never read.
    expect(calls.of("commit")).toBe(0);
    // One commit on one branch, one PR, one review, one check run, one status comment.
    const writes = ["createTree", "createCommit", "setBranch", "upsertPhasePull", "createCommentReview", "ensureAuditCheckRun"];
    for (const verb of [...writes, "completeAuditCheckRun", "createComment"]) expect(calls.of(verb), verb).toBe(1);
  });

  it("asks whether the base branch has CI once, not again at each phase after the merge moved it", async () => {
    const { s, issue } = await twoPhaseRun();
    await s.merge(issue, "P1");
    await s.merge(issue, "P2");
    expect(s.labels(issue)).toContain("autopack:done");
    const baseLooks = h.sim.requests.filter((r) => r.method === "GET" && /\/commits\/main\/(status|check-runs)/.test(r.path));
    // One look (its check runs and its statuses) for both phases, though main moved in between.
    expect(baseLooks.map((r) => r.path.split("?")[0]).sort()).toEqual([
      `/repos/${OWNER}/${REPO}/commits/main/check-runs`,
      `/repos/${OWNER}/${REPO}/commits/main/status`,
    ]);
  });

  it("reads the configuration again once a commit on the default branch changed it, and acts on it", async () => {
    const { s, issue } = await twoPhaseRun();
    h.sim.pushCommit(OWNER, REPO, "main", { ".github/autopack.yml": "max_parallel_phases: lots\n" }, "maintainer");
    await s.merge(issue, "P1");
    const said = s.botComments(issue).map((c) => c.body ?? "");
    expect(said.some((b) => b.includes("cannot use this repository's `.github/autopack.yml`") && b.includes("`max_parallel_phases`"))).toBe(
      true,
    );
    expect(s.labels(issue)).toContain("autopack:invalid");
  });

  it("asks GitHub again only for what may have changed: repeated reads are conditional, and a 304 costs no quota", async () => {
    await oneMergedPhase();

    const counted = h.sim.requests.filter((r) => r.status !== 304 && !r.path.includes("/access_tokens"));
    const asked = (method: string, path: string) => counted.filter((r) => r.method === method && r.path.split("?")[0] === path).length;
    const repo = `/repos/${OWNER}/${REPO}`;
    // The repository's facts once for the process; its configuration once, the organisation's fallback
    // with it: the merge moved the default branch but left the file alone, which one listing of the
    // file's commits (answered 304 after the first) tells.
    expect(asked("GET", repo)).toBe(1);
    expect(asked("GET", `${repo}/contents/.github%2Fautopack.yml`)).toBe(1);
    expect(asked("GET", `${repo}/commits`)).toBe(1);
    // The phase branch is looked up once; created a moment ago, it has no PR to look for.
    expect(asked("GET", `${repo}/git/ref/heads%2Fautopack%2F1%2FP1`)).toBe(1);
    expect(asked("GET", `${repo}/pulls`)).toBe(0);
    // The PR is read whole once, by the audit; the merge is taken from its webhook, which says it for good.
    const [pr] = h.sim.pulls(OWNER, REPO);
    expect(asked("GET", `${repo}/pulls/${pr!.number}`)).toBe(1);
    // Reads of things that did not change were answered 304, and the rate limit did not count them.
    const notModified = h.sim.requests.filter((r) => r.status === 304);
    expect(notModified.length).toBeGreaterThan(5);
    expect(notModified.every((r) => r.method === "GET")).toBe(true);
    // What the run cost GitHub's rate limit, label to merged, as it was when this was measured.
    expect(counted.length).toBeLessThanOrEqual(45);
  });
});
