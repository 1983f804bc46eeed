import type { RepoConfig } from "../config/repo-config.js";
import type { Probe } from "../github/commit-checks.js";
import { phasesOfTier, type Phase } from "../plan/schema.js";
import type { Action, Observations, PhaseObservation, SupervisorEvent } from "./events.js";
import { MAX_MINOR_ISSUES_PER_PHASE, phaseBudget } from "./playbook.js";
import { isTerminal, type PhaseRecord, type RunState } from "./run-state.js";

export interface DecideInput {
  state: RunState;
  event: SupervisorEvent;
  observations: Observations;
  config: RepoConfig;
  now: Date;
}

export interface Decision {
  state: RunState;
  actions: Action[];
}

const ACTIVE_STEPS: ReadonlySet<PhaseRecord["step"]> = new Set(["building", "checks", "auditing"]);

/**
 * The Supervisor: a pure function from (state, event, observations, config, time) to the next state
 * and the side effects to perform. Every phase transition happens here and nowhere else.
 */
export function decide(input: DecideInput): Decision {
  const state: RunState = structuredClone(input.state);
  const actions: Action[] = [];
  const ctx = { ...input, state, actions, nowIso: input.now.toISOString() };
  const wasTerminal = isTerminal(state);

  applyEvent(ctx);
  if (!isTerminal(state)) {
    observe(ctx);
    enforceRunBudgets(ctx);
  }
  if (!isTerminal(state)) schedule(ctx);
  // Whatever no longer waits for checks sends what it held back.
  for (const rec of Object.values(state.phases)) if (rec.step !== "checks" && rec.held.length > 0) release(ctx, rec, []);
  if (!isTerminal(state)) return { state, actions };
  // An ended run starts no more work, whatever the event asked for.
  const final = actions.filter((a) => a.type !== "build" && a.type !== "audit");
  if (!wasTerminal) final.push({ type: "finish" });
  return { state, actions: final };
}

type Ctx = DecideInput & { state: RunState; actions: Action[]; nowIso: string };

function phaseOf(ctx: Ctx, id: string): Phase | undefined {
  return ctx.state.plan.phases.find((p) => p.phase_id === id);
}

function budgetOf(ctx: Ctx, phase: Phase) {
  return phaseBudget(phase.task_category, ctx.config.budgets);
}

function setStep(ctx: Ctx, rec: PhaseRecord, state: PhaseRecord["state"], step: PhaseRecord["step"], reason: string | null = null): void {
  rec.state = state;
  rec.step = step;
  rec.reason = reason;
  rec.since = ctx.nowIso;
}

function escalate(ctx: Ctx, phaseId: string, rec: PhaseRecord, reason: string): void {
  setStep(ctx, rec, "FAILED", "escalated", reason);
  ctx.actions.push({ type: "escalate", phaseId, reason });
}

/** Starts the next Builder attempt of a phase, or escalates when its budget is spent. */
function rebuild(ctx: Ctx, phase: Phase, rec: PhaseRecord, feedback: string | null): void {
  const budget = budgetOf(ctx, phase);
  // Kept even when the phase escalates below: a later retry starts from this feedback.
  rec.feedback = feedback;
  if (rec.builder_attempts - rec.builder_floor >= budget.builder_attempts) {
    escalate(
      ctx,
      phase.phase_id,
      rec,
      `Builder attempts exhausted (${budget.builder_attempts})${feedback ? `; last problem: ${firstLine(feedback)}` : ""}`,
    );
    return;
  }
  if (rec.tokens - rec.token_floor >= budget.token_cap) {
    escalate(ctx, phase.phase_id, rec, `phase token cap reached (${rec.tokens - rec.token_floor} of ${budget.token_cap})`);
    return;
  }
  rec.builder_attempts += 1;
  setStep(ctx, rec, "EXECUTING", "building");
  ctx.actions.push({ type: "build", phaseId: phase.phase_id, attempt: rec.builder_attempts, feedback, startOver: rec.start_over });
}

/** Sends the mirror calls a phase held back while it waited for checks, with the checks as probe results. */
function release(ctx: Ctx, rec: PhaseRecord, probes: readonly Probe[]): void {
  for (const call of rec.held.splice(0)) {
    if (call.op === "builder_result" && probes.length > 0) (call.body as { probe_results?: Probe[] }).probe_results = [...probes];
    ctx.state.mirror.pending.push(call);
  }
}

/** Back in line for the Builder: schedule() starts it when its tier is current and a slot is free. */
function requeue(ctx: Ctx, rec: PhaseRecord, feedback: string | null): void {
  rec.feedback = feedback;
  setStep(ctx, rec, "QUEUED", "waiting");
}

function startAudit(ctx: Ctx, phase: Phase, rec: PhaseRecord): void {
  const budget = budgetOf(ctx, phase);
  if (rec.pr === null || rec.head_sha === null) {
    escalate(ctx, phase.phase_id, rec, "no pull request to audit");
    return;
  }
  if (rec.auditor_attempts - rec.auditor_floor >= budget.auditor_attempts) {
    escalate(ctx, phase.phase_id, rec, `Auditor attempts exhausted (${budget.auditor_attempts}) without an approval`);
    return;
  }
  rec.auditor_attempts += 1;
  setStep(ctx, rec, "GATE", "auditing");
  ctx.actions.push({ type: "audit", phaseId: phase.phase_id, attempt: rec.auditor_attempts, sha: rec.head_sha, pr: rec.pr });
}

/** Text on one line, cut to fit a table cell. */
function firstLine(text: string, max = 240): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function applyEvent(ctx: Ctx): void {
  const { state, event } = ctx;
  switch (event.type) {
    case "observe":
      return;
    case "build-finished": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      // A duplicate or late result (another attempt started since) changes nothing.
      if (!rec || !phase || rec.step !== "building" || rec.builder_attempts !== event.attempt) return;
      rec.tokens += event.tokens;
      state.tokens += event.tokens;
      state.work_minutes += event.minutes;
      // The builder_result waits for the CI gate, so it can carry the checks as probe results.
      rec.held.push(...event.mirror);
      if (event.prNumber !== null) rec.pr = event.prNumber;
      if (event.status === "success" && event.commitSha && rec.pr === null) {
        escalate(ctx, phase.phase_id, rec, "the build committed but no pull request could be opened");
      } else if (event.status === "success" && event.commitSha) {
        rec.head_sha = event.commitSha;
        rec.feedback = null;
        rec.start_over = false;
        if (ctx.config.ci.wait) setStep(ctx, rec, "CI_RUNNING", "checks");
        else startAudit(ctx, phase, rec);
      } else {
        rebuild(ctx, phase, rec, `The previous attempt failed: ${event.notes}`);
      }
      return;
    }
    case "audit-finished": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      if (!rec || !phase || rec.step !== "auditing" || rec.auditor_attempts !== event.attempt) return;
      rec.tokens += event.tokens;
      state.tokens += event.tokens;
      state.work_minutes += event.minutes;
      state.mirror.pending.push(...event.mirror);
      if (event.stale || event.sha !== rec.head_sha) {
        // The head moved while auditing: the verdict is not this PR's. Wait for the new head's checks;
        // observe() audits it under the next attempt number.
        setStep(ctx, rec, "CI_RUNNING", "checks");
        return;
      }
      rec.audited_sha = event.sha;
      rec.verdict = event.recommendation;
      rec.findings = event.findings;
      const majors = event.findings.filter((f) => f.severity === "major").length;
      const minors = event.findings.filter((f) => f.severity === "minor").length;
      if (event.recommendation === "escalate") {
        escalate(ctx, phase.phase_id, rec, `the Auditor escalated: ${firstLine(event.summary)}`);
      } else if (event.recommendation === "approve" && majors === 0 && minors <= MAX_MINOR_ISSUES_PER_PHASE) {
        setStep(ctx, rec, "GATE", "awaiting_merge");
        if (ctx.config.auto_merge && rec.pr !== null)
          ctx.actions.push({ type: "merge", phaseId: phase.phase_id, pr: rec.pr, sha: event.sha });
      } else {
        const findings = renderFindings(event.summary, event.findings);
        const audits = budgetOf(ctx, phase).auditor_attempts;
        // A build whose result could not be audited would be paid for in vain.
        if (rec.auditor_attempts - rec.auditor_floor >= audits) {
          rec.feedback = findings;
          escalate(
            ctx,
            phase.phase_id,
            rec,
            `Auditor attempts exhausted (${audits}) without an approval; last findings: ${firstLine(findings)}`,
          );
        } else rebuild(ctx, phase, rec, findings);
      }
      return;
    }
    case "changes-requested": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      if (!rec || !phase || isTerminal(state)) return;
      if (rec.step === "building" || rec.step === "merged") return;
      requeue(ctx, rec, `@${event.by} requested changes:\n${event.feedback}`);
      return;
    }
    case "rerun-audit": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      // Only a verdict that stands can be audited again: an approved or an escalated phase.
      if (!rec || !phase || state.state === "DONE_SUCCESS" || (rec.step !== "awaiting_merge" && rec.step !== "escalated")) return;
      if (rec.head_sha !== event.sha || rec.pr === null || runBudgetProblem(state) !== null) return;
      rec.auditor_floor = rec.auditor_attempts;
      // Audit what the PR's head is once its checks allow (observe() starts it), not an older commit.
      setStep(ctx, rec, "CI_RUNNING", "checks");
      if (isTerminal(state)) {
        // A person asked for a new audit of a stopped run: it goes on.
        state.state = "PHASE_EXECUTION";
        state.reason = null;
      }
      return;
    }
    case "retry": {
      // Nothing can start in a run whose budget is spent: a retry changes nothing.
      if (runBudgetProblem(state) !== null) return;
      const wanted = event.phases;
      let retried = 0;
      for (const phase of state.plan.phases) {
        const rec = state.phases[phase.phase_id];
        if (!rec) continue;
        const failed = rec.state === "FAILED" || rec.state === "SKIPPED";
        if (wanted ? !wanted.includes(phase.phase_id) || rec.step === "merged" || ACTIVE_STEPS.has(rec.step) : !failed) continue;
        rec.builder_floor = rec.builder_attempts;
        rec.auditor_floor = rec.auditor_attempts;
        rec.token_floor = rec.tokens;
        requeue(ctx, rec, event.feedback[phase.phase_id] ?? rec.feedback);
        retried++;
      }
      if (retried > 0 && isTerminal(state)) {
        state.state = "PHASE_EXECUTION";
        state.reason = null;
      }
      return;
    }
    case "cancel": {
      if (isTerminal(state)) return;
      for (const rec of Object.values(state.phases)) {
        if (rec.state === "QUEUED" || ACTIVE_STEPS.has(rec.step)) setStep(ctx, rec, "SKIPPED", "cancelled", `cancelled by @${event.by}`);
      }
      state.state = "DONE_FAILED_REQUIRES_HUMAN_REVIEW";
      state.reason = `Cancelled by @${event.by}; open pull requests are left for people.`;
      return;
    }
  }
}

function tierIndexOf(ctx: Ctx, phase: Phase): number {
  return ctx.state.plan.tiers.findIndex((t) => t.tier_id === phase.tier_id);
}

export function renderFindings(
  summary: string,
  findings: { severity: string; path: string | null; line: number | null; message: string }[],
): string {
  const lines = findings.map((f) => `- [${f.severity}] ${f.path ?? "(general)"}${f.line ? `:${f.line}` : ""}: ${f.message}`);
  return [`The Auditor asked for changes: ${summary}`, ...lines].join("\n");
}

/** Applies what GitHub shows for each phase: merges, closes, pushes by people, finished checks. */
function observe(ctx: Ctx): void {
  for (const phase of ctx.state.plan.phases) {
    const rec = ctx.state.phases[phase.phase_id];
    const seen: PhaseObservation | undefined = ctx.observations.phases[phase.phase_id];
    if (!rec || !seen?.pr || rec.pr !== seen.pr.number) continue;
    // A phase being built again (after a retry) gets its PR from the build, not from the old one.
    if (rec.step === "merged" || rec.step === "cancelled" || rec.step === "building") continue;
    if (seen.pr.merged) {
      setStep(ctx, rec, "COMPLETE", "merged");
      continue;
    }
    // Queued to be built again (a retry, a review): the old PR's state no longer speaks for it.
    if (rec.step === "waiting") continue;
    if (seen.pr.state === "closed") {
      if (rec.step !== "escalated") {
        setStep(
          ctx,
          rec,
          "FAILED",
          "escalated",
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
      setStep(ctx, rec, "CI_RUNNING", "checks");
    }
    if (rec.step === "checks") {
      const checks = seen.checks;
      if (ctx.config.ci.wait && checks === null) continue; // not looked at yet: the next look decides
      if (checks !== null && checks.state !== "pending") release(ctx, rec, checks.probes);
      if (!ctx.config.ci.wait || checks === null || checks.state === "none" || checks.state === "success") startAudit(ctx, phase, rec);
      else if (checks.state === "failure")
        rebuild(ctx, phase, rec, `The repository's checks failed on ${rec.head_sha?.slice(0, 7)}:\n${checks.summary}`);
      else if (ctx.now.getTime() - Date.parse(rec.since) > ctx.config.ci.timeout_minutes * 60_000) {
        release(ctx, rec, checks?.probes ?? []);
        escalate(ctx, phase.phase_id, rec, `checks did not finish within ${ctx.config.ci.timeout_minutes} minutes`);
      }
    }
  }
}

/** Why the run may do no more work (a run budget is spent), or null. */
function runBudgetProblem(state: RunState): string | null {
  const run = state.plan.run;
  if (state.tokens >= run.token_cap) return `the run's token cap is spent (${state.tokens} of ${run.token_cap})`;
  if (state.work_minutes >= run.max_duration_minutes) {
    return `the run's working time is spent (${Math.round(state.work_minutes)} of ${run.max_duration_minutes} minutes)`;
  }
  return null;
}

function enforceRunBudgets(ctx: Ctx): void {
  const { state } = ctx;
  const reason = runBudgetProblem(state);
  if (reason === null) return;
  for (const rec of Object.values(state.phases)) {
    if (rec.state === "QUEUED" || ACTIVE_STEPS.has(rec.step)) setStep(ctx, rec, "SKIPPED", "cancelled", "budget exhausted");
  }
  state.state = "DONE_FAILED_BUDGET_EXHAUSTED";
  state.reason = `Stopped: ${reason}.`;
}

/** Moves tiers forward, starts phases up to the parallel limit, and ends the run when nothing is left. */
function schedule(ctx: Ctx): void {
  const { state } = ctx;
  for (;;) {
    const tier = state.plan.tiers[state.tier];
    if (!tier) {
      state.state = "DONE_SUCCESS";
      state.reason = null;
      return;
    }
    const phases = phasesOfTier(state.plan, tier.tier_id);
    const recs = phases.map((p) => state.phases[p.phase_id]!);
    if (recs.every((r) => r.state === "COMPLETE")) {
      state.tier += 1;
      continue;
    }
    if (state.state === "RUN_CREATED") state.state = "PHASE_EXECUTION";
    let active = recs.filter((r) => ACTIVE_STEPS.has(r.step)).length;
    for (const phase of phases) {
      const rec = state.phases[phase.phase_id]!;
      if (rec.state !== "QUEUED" || active >= ctx.config.max_parallel_phases) continue;
      rebuild(ctx, phase, rec, rec.feedback);
      // A phase whose budget is spent escalates instead of starting: its slot stays free.
      if (ACTIVE_STEPS.has(rec.step)) active++;
    }
    const settled = recs.every((r) => r.state === "COMPLETE" || r.state === "FAILED" || r.state === "SKIPPED");
    if (settled && recs.some((r) => r.state !== "COMPLETE")) {
      const failed = phases.filter((p) => state.phases[p.phase_id]!.state !== "COMPLETE").map((p) => p.phase_id);
      state.state = "DONE_FAILED_REQUIRES_HUMAN_REVIEW";
      state.reason = `Tier ${tier.tier_id} cannot finish: ${failed.join(", ")} need${failed.length === 1 ? "s" : ""} a person.`;
    }
    return;
  }
}
