import { describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../config/repo-config.js";
import type { Plan } from "../plan/schema.js";
import { decide } from "./decide.js";
import type { Observations, SupervisorEvent } from "./events.js";
import type { RunState } from "./run-state.js";
import { newRunState } from "./start-run.js";

const T0 = new Date("2026-01-01T00:00:00Z");
const plan: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 1_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [
    { tier_id: "T1", tier_index: 0, name: "One", description: "" },
    { tier_id: "T2", tier_index: 1, name: "Two", description: "" },
  ],
  phases: [
    { phase_id: "P1", phase_index: 0, tier_id: "T1", name: "a", description: "", scope: [], acceptance: [] },
    { phase_id: "P2", phase_index: 1, tier_id: "T1", name: "b", description: "", scope: [], acceptance: [], task_category: "docs" },
    { phase_id: "P3", phase_index: 2, tier_id: "T2", name: "c", description: "", scope: [], acceptance: [] },
  ],
};
const config: RepoConfig = { ...DEFAULT_REPO_CONFIG, ci: { wait: false, timeout_minutes: 60 } };
const none: Observations = { phases: {} };

function start(): RunState {
  return newRunState({ plan, repoId: 1, issue: 9, n: 1, startedBy: "alice", now: T0, mirrorEnabled: false });
}

function step(state: RunState, event: SupervisorEvent, observations: Observations = none, cfg: RepoConfig = config) {
  return decide({ state, event, observations, config: cfg, now: T0 });
}

const built = (phaseId: string, attempt: number, sha = `sha-${phaseId}-${attempt}`, pr = 100): SupervisorEvent => ({
  type: "build-finished",
  phaseId,
  attempt,
  status: "success",
  commitSha: sha,
  prNumber: pr,
  tokens: 1000,
  minutes: 1,
  notes: "",
  mirror: [],
});
const audited = (
  phaseId: string,
  attempt: number,
  sha: string,
  recommendation: "approve" | "revise" | "escalate",
  majors = 0,
): SupervisorEvent => ({
  type: "audit-finished",
  phaseId,
  attempt,
  sha,
  recommendation,
  stale: false,
  summary: "s",
  tokens: 500,
  minutes: 1,
  mirror: [],
  findings: Array.from({ length: majors }, (_, i) => ({
    key: `k${i}`,
    path: "a.ts",
    line: 1,
    severity: "major" as const,
    category: "bug",
    message: "bad",
    attempt,
  })),
});
const pr = (n: number, headSha: string, merged = false, state: "open" | "closed" = "open") => ({
  pr: { number: n, state, merged, headSha },
  checks: { state: "none" as const, summary: "", probes: [] },
});

describe("decide", () => {
  it("starts every phase of the first tier and none of the next", () => {
    const { state, actions } = step(start(), { type: "observe" });
    expect(state.state).toBe("PHASE_EXECUTION");
    expect(actions).toEqual([
      { type: "build", phaseId: "P1", attempt: 1, feedback: null, startOver: false },
      { type: "build", phaseId: "P2", attempt: 1, feedback: null, startOver: false },
    ]);
    expect(state.phases["P3"]!.state).toBe("QUEUED");
  });

  it("respects max_parallel_phases", () => {
    const { actions } = step(start(), { type: "observe" }, none, { ...config, max_parallel_phases: 1 });
    expect(actions.map((a) => a.type === "build" && a.phaseId)).toEqual(["P1"]);
  });

  it("audits a successful build, then waits for a merge after approval", () => {
    let s = step(start(), { type: "observe" }).state;
    const b = step(s, built("P1", 1));
    expect(b.actions).toContainEqual({ type: "audit", phaseId: "P1", attempt: 1, sha: "sha-P1-1", pr: 100 });
    s = step(b.state, audited("P1", 1, "sha-P1-1", "approve")).state;
    expect(s.phases["P1"]).toMatchObject({ state: "GATE", step: "awaiting_merge", verdict: "approve" });
  });

  it("ignores a duplicated build result", () => {
    const s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    const again = step(s, built("P1", 1));
    expect(again.actions.filter((a) => a.type === "audit" || a.type === "build")).toEqual([]);
    expect(again.state.phases["P1"]!.tokens).toBe(1000);
  });

  it("sends a revised phase back to the Builder with the findings", () => {
    let s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    const r = step(s, audited("P1", 1, "sha-P1-1", "revise", 1));
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ type: "build", phaseId: "P1", attempt: 2 });
    expect((r.actions[0] as { feedback: string }).feedback).toContain("[major] a.ts:1: bad");
    s = r.state;
    expect(s.phases["P1"]!.state).toBe("EXECUTING");
  });

  it("never approves while a major finding stands", () => {
    const s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    const r = step(s, audited("P1", 1, "sha-P1-1", "approve", 1));
    expect(r.state.phases["P1"]!.step).toBe("building");
  });

  it("escalates when the Builder's attempts are spent, and the run ends when the tier settles", () => {
    let s = step(start(), { type: "observe" }).state;
    // docs allows 2 builder attempts
    for (const attempt of [1, 2]) s = step(s, { ...built("P2", attempt), status: "failed", commitSha: null } as SupervisorEvent).state;
    expect(s.phases["P2"]).toMatchObject({ state: "FAILED", step: "escalated" });
    expect(s.phases["P2"]!.reason).toContain("Builder attempts exhausted (2)");
    expect(s.state).toBe("PHASE_EXECUTION");
  });

  it("escalates at once when the model server refuses the app's key: retrying cannot help", () => {
    const s = step(start(), { type: "observe" }).state;
    const r = step(s, { ...built("P1", 1), status: "failed", commitSha: null, environment: true, notes: "401 bad key" } as SupervisorEvent);
    expect(r.state.phases["P1"]).toMatchObject({ state: "FAILED", step: "escalated", builder_attempts: 1 });
    expect(r.actions.filter((a) => a.type === "build")).toEqual([]);
    expect(r.state.phases["P1"]!.reason).toContain("check OPENAI_API_KEY");
  });

  it("moves to the next tier only when every phase of the tier is merged", () => {
    let s = step(start(), { type: "observe" }).state;
    s = step(s, built("P1", 1, "a1", 101)).state;
    s = step(s, built("P2", 1, "b1", 102)).state;
    s = step(s, audited("P1", 1, "a1", "approve")).state;
    s = step(s, audited("P2", 1, "b1", "approve")).state;
    const half = step(s, { type: "observe" }, { phases: { P1: pr(101, "a1", true), P2: pr(102, "b1") } });
    expect(half.state.tier).toBe(0);
    expect(half.actions).toEqual([]);
    const all = step(half.state, { type: "observe" }, { phases: { P2: pr(102, "b1", true) } });
    expect(all.state.tier).toBe(1);
    expect(all.actions).toEqual([{ type: "build", phaseId: "P3", attempt: 1, feedback: null, startOver: false }]);
  });

  it("finishes the run when the last tier is merged", () => {
    let s = step(start(), { type: "observe" }).state;
    s.phases["P1"] = { ...s.phases["P1"]!, state: "COMPLETE", step: "merged" };
    s.phases["P2"] = { ...s.phases["P2"]!, state: "COMPLETE", step: "merged" };
    s = step(s, { type: "observe" }).state;
    s = step(s, built("P3", 1, "c1", 103)).state;
    s = step(s, audited("P3", 1, "c1", "approve")).state;
    const done = step(s, { type: "observe" }, { phases: { P3: pr(103, "c1", true) } });
    expect(done.state.state).toBe("DONE_SUCCESS");
    expect(done.actions).toEqual([{ type: "finish" }]);
  });

  it("auto-merges an approved phase when configured", () => {
    const s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    const r = step(s, audited("P1", 1, "sha-P1-1", "approve"), none, { ...config, auto_merge: true });
    expect(r.actions).toContainEqual({ type: "merge", phaseId: "P1", pr: 100, sha: "sha-P1-1" });
  });

  it("fails a phase whose PR a person closed, until /autopack retry", () => {
    let s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    s = step(s, audited("P1", 1, "sha-P1-1", "approve")).state;
    s = step(s, { type: "observe" }, { phases: { P1: pr(100, "sha-P1-1", false, "closed") } }).state;
    expect(s.phases["P1"]).toMatchObject({ state: "FAILED", step: "escalated" });
    const retried = step(s, { type: "retry", by: "bob", phases: null, feedback: {} });
    // A person turned the work down: the next build starts over from the base branch.
    expect(retried.actions).toContainEqual({ type: "build", phaseId: "P1", attempt: 2, feedback: null, startOver: true });
  });

  it("waits for the repository's checks, and rebuilds with the failures", () => {
    const cfg = { ...config, ci: { wait: true, timeout_minutes: 60 } };
    let s = step(step(start(), { type: "observe" }, none, cfg).state, built("P1", 1), none, cfg).state;
    expect(s.phases["P1"]).toMatchObject({ state: "CI_RUNNING", step: "checks" });
    const pending = step(
      s,
      { type: "observe" },
      { phases: { P1: { ...pr(100, "sha-P1-1"), checks: { state: "pending", summary: "", probes: [] } } } },
      cfg,
    );
    expect(pending.actions).toEqual([]);
    const failed = step(
      s,
      { type: "observe" },
      { phases: { P1: { ...pr(100, "sha-P1-1"), checks: { state: "failure", summary: '- check "test": failure', probes: [] } } } },
      cfg,
    );
    expect(failed.actions[0]).toMatchObject({ type: "build", phaseId: "P1", attempt: 2 });
    expect((failed.actions[0] as { feedback: string }).feedback).toContain('check "test": failure');
    s = failed.state;
  });

  it("escalates a check that never finishes", () => {
    const cfg = { ...config, ci: { wait: true, timeout_minutes: 60 } };
    const s = step(step(start(), { type: "observe" }, none, cfg).state, built("P1", 1), none, cfg).state;
    const later = decide({
      state: s,
      event: { type: "observe" },
      observations: { phases: { P1: { ...pr(100, "sha-P1-1"), checks: { state: "pending", summary: "", probes: [] } } } },
      config: cfg,
      now: new Date(T0.getTime() + 61 * 60_000),
    });
    expect(later.state.phases["P1"]).toMatchObject({ step: "escalated" });
    expect(later.actions).toContainEqual({ type: "escalate", phaseId: "P1", reason: "checks did not finish within 60 minutes" });
  });

  it("stops the run when the token cap is spent", () => {
    const s = step(start(), { type: "observe" }).state;
    const r = step(s, { ...built("P1", 1), tokens: 1_000_000 } as SupervisorEvent);
    expect(r.state.state).toBe("DONE_FAILED_BUDGET_EXHAUSTED");
    expect(r.actions).toContainEqual({ type: "finish" });
    expect(r.actions.some((a) => a.type === "build" || a.type === "audit")).toBe(false);
  });

  it("cancels: no new work, phases in flight are skipped", () => {
    const s = step(start(), { type: "observe" }).state;
    const r = step(s, { type: "cancel", by: "bob" });
    expect(r.state.state).toBe("DONE_FAILED_REQUIRES_HUMAN_REVIEW");
    expect(r.state.reason).toContain("Cancelled by @bob");
    expect(r.actions).toEqual([{ type: "finish" }]);
  });

  it("sends a phase back to the Builder when a person requests changes", () => {
    let s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    s = step(s, audited("P1", 1, "sha-P1-1", "approve")).state;
    const r = step(s, { type: "changes-requested", phaseId: "P1", by: "carol", feedback: "rename x" });
    expect(r.actions[0]).toMatchObject({ type: "build", phaseId: "P1", attempt: 2 });
    expect((r.actions[0] as { feedback: string }).feedback).toBe("@carol requested changes:\nrename x");
  });

  it("audits again when a person pushes to the phase branch", () => {
    let s = step(step(start(), { type: "observe" }).state, built("P1", 1)).state;
    s = step(s, audited("P1", 1, "sha-P1-1", "approve")).state;
    const r = step(s, { type: "observe" }, { phases: { P1: pr(100, "person-sha") } });
    expect(r.actions).toContainEqual({ type: "audit", phaseId: "P1", attempt: 2, sha: "person-sha", pr: 100 });
  });
});
