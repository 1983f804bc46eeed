import { runStartBody } from "../autopack-api/bodies.js";
import type { Plan } from "../plan/schema.js";
import { newPhaseRecord, runIdFor, type RunState } from "./run-state.js";

export interface NewRunArgs {
  plan: Plan;
  repoId: number;
  issue: number;
  /** Grows with every run of the issue, never repeating (`nextRunNumber`). */
  n: number;
  startedBy: string;
  now: Date;
  /** Writers who must approve before anything is built (the approval gate), and who already did. */
  approval?: { needed: number; by: string[] } | null;
  /** Where the plan came from (the issue body by default). */
  planFrom?: RunState["plan_from"];
}

/** The state of a run that was just accepted: every phase queued, the orchestrator's start pending. */
export function newRunState(args: NewRunArgs): RunState {
  const runId = runIdFor(args.repoId, args.issue, args.n);
  const now = args.now.toISOString();
  return {
    v: 2,
    run_id: runId,
    n: args.n,
    repo_id: args.repoId,
    issue: args.issue,
    started_by: args.startedBy,
    started_at: now,
    state: "RUN_CREATED",
    tier: 0,
    tokens: 0,
    work_minutes: 0,
    phases: Object.fromEntries(args.plan.phases.map((p) => [p.phase_id, newPhaseRecord(now)])),
    mirror: { pending: [{ op: "start", runId, body: runStartBody(runId, args.plan) }], last_error: null, last_refusal: null },
    reason: null,
    cancelled_by: null,
    left_out: [],
    approval: args.approval ?? null,
    plan_from: args.planFrom ?? "issue",
    plan: args.plan,
  };
}
