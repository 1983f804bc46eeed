/**
 * The verbs that move phases and runs. Every change of a phase's step or a run's state goes through
 * `movePhase` or `moveRun`, which refuse any move that the tables in src/supervisor/transitions.ts do
 * not hold. The other verbs (start a build, start an audit, escalate, requeue, release held mirror
 * calls) are the moves `decide` makes, with their budgets and bookkeeping.
 */
import { withProbeResults } from "../autopack-api/calls.js";
import type { ProbeResult } from "../autopack-api/schemas.js";
import type { Phase } from "../plan/schema.js";
import { budgetOf, firstLine, type Ctx } from "./decision.js";
import type { PhaseRecord } from "./run-state.js";
import {
  allows,
  PHASE_TRANSITIONS,
  RUN_TRANSITIONS,
  type PhaseCause,
  type PhaseStep,
  type RunCause,
  type RunStateName,
} from "./transitions.js";

/** A move the tables do not hold: a bug in `decide`, never a user's mistake. */
export class IllegalMove extends Error {}

export function movePhase(ctx: Ctx, rec: PhaseRecord, to: PhaseStep, why: PhaseCause, reason: string | null = null): void {
  if (!allows(PHASE_TRANSITIONS, rec.step, to, why)) throw new IllegalMove(`a phase cannot move from ${rec.step} to ${to} (${why})`);
  rec.step = to;
  rec.reason = reason;
  rec.since = ctx.nowIso;
}

/** Moves the run; `cancelled_by` is kept only by a cancel, and a run going on again has no reason to show. */
export function moveRun(ctx: Ctx, to: RunStateName, why: RunCause, reason: string | null = null, by: string | null = null): void {
  const { state } = ctx;
  if (!allows(RUN_TRANSITIONS, state.state, to, why)) throw new IllegalMove(`a run cannot move from ${state.state} to ${to} (${why})`);
  state.state = to;
  state.reason = reason;
  state.cancelled_by = why === "cancelled" ? by : null;
}

export function escalate(
  ctx: Ctx,
  phaseId: string,
  rec: PhaseRecord,
  reason: string,
  why: PhaseCause = "needs-a-person",
  details?: string,
): void {
  movePhase(ctx, rec, "escalated", why, reason);
  ctx.actions.push({ type: "escalate", phaseId, reason, ...(details ? { details } : {}) });
}

/** Feedback for the Builder a phase keeps at most (it lives in the run's record, in a comment). */
export const MAX_FEEDBACK_CHARS = 20_000;

function capFeedback(feedback: string | null): string | null {
  return feedback !== null && feedback.length > MAX_FEEDBACK_CHARS ? `${feedback.slice(0, MAX_FEEDBACK_CHARS - 1)}…` : feedback;
}

/** Starts the next Builder attempt of a phase, or escalates when its budget is spent. */
export function rebuild(ctx: Ctx, phase: Phase, rec: PhaseRecord, why: PhaseCause, feedback: string | null): void {
  const budget = budgetOf(ctx, phase);
  // Kept even when the phase escalates below: a later retry starts from this feedback.
  feedback = capFeedback(feedback);
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
  movePhase(ctx, rec, "building", why);
  ctx.actions.push({ type: "build", phaseId: phase.phase_id, attempt: rec.builder_attempts, feedback, startOver: rec.start_over });
}

/** Starts the next Auditor attempt on the phase's head, or escalates when there is nothing to audit or no attempt left. */
export function startAudit(ctx: Ctx, phase: Phase, rec: PhaseRecord, why: PhaseCause): void {
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
  movePhase(ctx, rec, "auditing", why);
  ctx.actions.push({ type: "audit", phaseId: phase.phase_id, attempt: rec.auditor_attempts, sha: rec.head_sha, pr: rec.pr });
}

/** Back in line for the Builder: schedule() starts it when its tier is current and a slot is free. */
export function requeue(ctx: Ctx, rec: PhaseRecord, why: PhaseCause, feedback: string | null): void {
  rec.feedback = capFeedback(feedback);
  movePhase(ctx, rec, "waiting", why);
}

/** Sends the mirror calls a phase held back while it waited for checks, a builder result with the checks as probe results. */
export function release(ctx: Ctx, rec: PhaseRecord, probes: readonly ProbeResult[]): void {
  for (const call of rec.held.splice(0)) {
    ctx.state.mirror.pending.push(call.op === "builder_result" ? withProbeResults(call, probes) : call);
  }
}
