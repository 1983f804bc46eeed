/** The pieces every part of `decide` shares: its input, the decision in the making, and the phase moves. */
import type { RepoConfig } from "../config/repo-config.js";
import type { Probe } from "../github/commit-checks.js";
import type { Phase } from "../plan/schema.js";
import type { Action, Observations, SupervisorEvent } from "./events.js";
import { phaseBudget } from "../plan/budgets.js";
import type { PhaseRecord, RunState } from "./run-state.js";

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

export const ACTIVE_STEPS: ReadonlySet<PhaseRecord["step"]> = new Set(["building", "checks", "auditing"]);

/** One decision in the making: the input, the state being changed (a copy) and the actions asked for. */
export type Ctx = DecideInput & { state: RunState; actions: Action[]; nowIso: string };

export function phaseOf(ctx: Ctx, id: string): Phase | undefined {
  return ctx.state.plan.phases.find((p) => p.phase_id === id);
}

export function budgetOf(ctx: Ctx, phase: Phase) {
  return phaseBudget(phase.task_category, ctx.config.budgets);
}

export function setStep(
  ctx: Ctx,
  rec: PhaseRecord,
  state: PhaseRecord["state"],
  step: PhaseRecord["step"],
  reason: string | null = null,
): void {
  rec.state = state;
  rec.step = step;
  rec.reason = reason;
  rec.since = ctx.nowIso;
}

export function escalate(ctx: Ctx, phaseId: string, rec: PhaseRecord, reason: string): void {
  setStep(ctx, rec, "FAILED", "escalated", reason);
  ctx.actions.push({ type: "escalate", phaseId, reason });
}

/** Starts the next Builder attempt of a phase, or escalates when its budget is spent. */
export function rebuild(ctx: Ctx, phase: Phase, rec: PhaseRecord, feedback: string | null): void {
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
export function release(ctx: Ctx, rec: PhaseRecord, probes: readonly Probe[]): void {
  for (const call of rec.held.splice(0)) {
    if (call.op === "builder_result" && probes.length > 0) (call.body as { probe_results?: Probe[] }).probe_results = [...probes];
    ctx.state.mirror.pending.push(call);
  }
}

/** Back in line for the Builder: schedule() starts it when its tier is current and a slot is free. */
export function requeue(ctx: Ctx, rec: PhaseRecord, feedback: string | null): void {
  rec.feedback = feedback;
  setStep(ctx, rec, "QUEUED", "waiting");
}

export function startAudit(ctx: Ctx, phase: Phase, rec: PhaseRecord): void {
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
export function firstLine(text: string, max = 240): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Why the run may do no more work (a run budget is spent), or null. */
export function runBudgetProblem(state: RunState): string | null {
  const run = state.plan.run;
  if (state.tokens >= run.token_cap) return `the run's token cap is spent (${state.tokens} of ${run.token_cap})`;
  if (state.work_minutes >= run.max_duration_minutes) {
    return `the run's working time is spent (${Math.round(state.work_minutes)} of ${run.max_duration_minutes} minutes)`;
  }
  return null;
}
