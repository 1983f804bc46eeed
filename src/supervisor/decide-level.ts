/** The level-triggered part of `decide`: what GitHub shows, the run's budgets, and scheduling. */
import type { RepoConfig } from "../config/repo-config.js";
import type { ChecksSummary } from "../github/door.js";
import { phasesOfTier } from "../plan/schema.js";
import type { PhaseObservation } from "./events.js";
import { approvalsMissing, type PhaseRecord } from "./run-state.js";
import { runBudgetProblem, type Ctx } from "./decision.js";
import { escalate, movePhase, moveRun, rebuild, release, startAudit } from "./moves.js";
import { ACTIVE_STEPS } from "./transitions.js";

/** Applies what GitHub shows for each phase: merges, closes, pushes by people, finished checks. */
export function observe(ctx: Ctx): void {
  for (const phase of ctx.state.plan.phases) {
    const rec = ctx.state.phases[phase.phase_id];
    const seen: PhaseObservation | undefined = ctx.observations.phases[phase.phase_id];
    if (!rec || !seen?.pr || rec.pr !== seen.pr.number) continue;
    // A phase being built again (after a retry) gets its PR from the build, not from the old one.
    // A skipped phase's PR is left alone: nothing done to it moves the phase.
    if (rec.step === "merged" || rec.step === "cancelled" || rec.step === "building" || rec.step === "skipped") continue;
    if (seen.pr.merged) {
      movePhase(ctx, rec, "merged", "merged");
      continue;
    }
    // Queued to be built again (a retry, a review): the old PR's state no longer speaks for it.
    if (rec.step === "waiting") continue;
    if (seen.pr.state === "closed") {
      if (rec.step !== "escalated") {
        movePhase(
          ctx,
          rec,
          "escalated",
          "closed-unmerged",
          "the pull request was closed without merging; comment `/autopack retry` to build it again from the base",
        );
        // A person turned the work down: the next build starts over from the base branch.
        rec.start_over = true;
      }
      continue;
    }
    const watched = rec.step === "checks" || rec.step === "auditing" || rec.step === "awaiting_merge";
    if (watched && rec.head_sha !== null && seen.pr.headSha !== rec.head_sha) {
      // Someone pushed to the phase branch: what is there now is what gets checked and audited, with
      // a fresh audit allowance (a person's push is not the Builder's attempt).
      rec.head_sha = seen.pr.headSha;
      rec.auditor_floor = rec.auditor_attempts;
      movePhase(ctx, rec, "checks", "new-head");
    }
    if (rec.step === "checks") {
      const checks = seen.checks;
      if (ctx.config.ci.wait && checks === null) continue; // not looked at yet: the next look decides
      const state = checks === null ? "none" : gateState(ctx, rec, checks);
      if (checks !== null && state !== "pending") release(ctx, rec, checks.probes);
      if (!ctx.config.ci.wait || checks === null || state === "none" || state === "success") startAudit(ctx, phase, rec, "checks-passed");
      else if (state === "failure") {
        overruleAudit(ctx, phase.phase_id, rec, "the repository's checks failed on this commit");
        rebuild(ctx, phase, rec, "checks-failed", `The repository's checks failed on ${rec.head_sha?.slice(0, 7)}:\n${checks.summary}`);
      } else if (ctx.now.getTime() - Date.parse(rec.since) > ctx.config.ci.timeout_minutes * 60_000) {
        release(ctx, rec, checks?.probes ?? []);
        escalate(ctx, phase.phase_id, rec, `checks did not finish within ${ctx.config.ci.timeout_minutes} minutes`);
      }
    } else if ((rec.step === "auditing" || rec.step === "awaiting_merge") && ctx.config.ci.wait && seen.checks?.state === "failure") {
      // A check that reported after the audit started (or after the approval) failed: the head is not
      // good, whatever the Auditor says. Its verdict stops passing, and the phase goes back to the Builder.
      const when = rec.step === "auditing" ? "while it was being audited" : "after the Auditor approved it";
      overruleAudit(ctx, phase.phase_id, rec, "the repository's checks failed on this commit after the audit");
      rebuild(
        ctx,
        phase,
        rec,
        "checks-failed",
        `The repository's checks failed on ${rec.head_sha?.slice(0, 7)} ${when}:\n${seen.checks.summary}`,
      );
    }
  }
}

/**
 * How long a head's check suites that have not reported yet (or the base branch's checks, when the
 * head has no suite at all) are waited for before the head counts as having no CI: GitHub creates a
 * suite at the push for every app with checks to run, and some apps never run any.
 */
export const EXPECTED_CHECKS_MINUTES = 10;

/** The head's checks as the gate sees them: checks still expected within their wait are pending. */
export function gateState(ctx: Ctx, rec: PhaseRecord, checks: ChecksSummary): ChecksSummary["state"] {
  if ((checks.state !== "none" && checks.state !== "success") || checks.awaiting.length === 0) return checks.state;
  const waited = ctx.now.getTime() - Date.parse(rec.since);
  return waited < expectedChecksWaitMs(ctx.config) ? "pending" : checks.state;
}

/** The wait for checks that are expected but have not started, never past the checks' time-out. */
export function expectedChecksWaitMs(config: RepoConfig): number {
  return Math.min(EXPECTED_CHECKS_MINUTES, config.ci.timeout_minutes) * 60_000;
}

/** The verdict on the phase's head stops passing: asked for whenever its checks failed after (or around) an audit. */
function overruleAudit(ctx: Ctx, phaseId: string, rec: PhaseRecord, reason: string): void {
  const audited = rec.step === "auditing" || rec.step === "awaiting_merge" || rec.audited_sha === rec.head_sha;
  if (rec.head_sha !== null && audited) ctx.actions.push({ type: "overrule-audit", phaseId, sha: rec.head_sha, reason });
}

export function enforceRunBudgets(ctx: Ctx): void {
  const { state } = ctx;
  const reason = runBudgetProblem(state);
  if (reason === null) return;
  for (const rec of Object.values(state.phases)) {
    if (rec.step === "waiting" || ACTIVE_STEPS.has(rec.step)) movePhase(ctx, rec, "cancelled", "budget-spent", "budget exhausted");
  }
  moveRun(ctx, "DONE_FAILED_BUDGET_EXHAUSTED", "budget-spent", `Stopped: ${reason}.`);
}

/** Moves tiers forward, starts phases up to the parallel limit, and ends the run when nothing is left. */
export function schedule(ctx: Ctx): void {
  const { state } = ctx;
  // The approval gate: nothing is built until enough writers approved.
  if (approvalsMissing(state) > 0) {
    if (state.state === "RUN_CREATED") moveRun(ctx, "AWAITING_APPROVAL", "approval-required");
    return;
  }
  const done = (r: PhaseRecord) => r.step === "merged" || r.step === "skipped";
  for (;;) {
    const tier = state.plan.tiers[state.tier];
    if (!tier) {
      moveRun(ctx, "DONE_SUCCESS", "all-tiers-merged");
      return;
    }
    const phases = phasesOfTier(state.plan, tier.tier_id);
    const recs = phases.map((p) => state.phases[p.phase_id]!);
    if (recs.every(done)) {
      state.tier += 1;
      continue;
    }
    if (state.state === "RUN_CREATED") moveRun(ctx, "PHASE_EXECUTION", "started");
    let active = recs.filter((r) => ACTIVE_STEPS.has(r.step)).length;
    for (const phase of phases) {
      const rec = state.phases[phase.phase_id]!;
      if (rec.step !== "waiting" || active >= ctx.config.max_parallel_phases) continue;
      rebuild(ctx, phase, rec, "scheduled", rec.feedback);
      // A phase whose budget is spent escalates instead of starting: its slot stays free.
      if (ACTIVE_STEPS.has(rec.step)) active++;
    }
    const settled = recs.every((r) => done(r) || r.step === "escalated" || r.step === "cancelled");
    if (settled && recs.some((r) => !done(r))) {
      const failed = phases.filter((p) => !done(state.phases[p.phase_id]!)).map((p) => p.phase_id);
      const reason = `Tier ${tier.tier_id} cannot finish: ${failed.join(", ")} need${failed.length === 1 ? "s" : ""} a person.`;
      moveRun(ctx, "DONE_FAILED_REQUIRES_HUMAN_REVIEW", "tier-stuck", reason);
    }
    return;
  }
}
