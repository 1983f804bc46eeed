/** What every part of `decide` shares: its input, the decision in the making, and small reads of the run. */
import type { RepoConfig } from "../config/repo-config.js";
import { phaseBudget } from "../plan/budgets.js";
import type { Phase } from "../plan/schema.js";
import type { Action, Observations, SupervisorEvent } from "./events.js";
import type { RunState } from "./run-state.js";

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

/** One decision in the making: the input, the state being changed (a copy) and the actions asked for. */
export type Ctx = DecideInput & { state: RunState; actions: Action[]; nowIso: string };

export function phaseOf(ctx: Ctx, id: string): Phase | undefined {
  return ctx.state.plan.phases.find((p) => p.phase_id === id);
}

export function budgetOf(ctx: Ctx, phase: Phase) {
  return phaseBudget(phase.task_category, ctx.config.budgets);
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
