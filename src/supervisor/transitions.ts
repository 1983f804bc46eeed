/**
 * The Supervisor's two state machines as tables: how a phase moves from step to step, and how a run
 * moves between the orchestrator's run states, each move with why it happens. `decide` changes a
 * phase's step or a run's state only through `movePhase`/`moveRun` (src/supervisor/moves.ts), which
 * refuse a move that is not in these tables. CONTRIBUTING.md draws both tables; a test keeps the
 * drawings equal to them.
 */

/** Where a phase is. Stored once per phase; the orchestrator's phase state follows from it. */
export const PHASE_STEPS = [
  "waiting",
  "building",
  "checks",
  "auditing",
  "awaiting_merge",
  "merged",
  "escalated",
  "cancelled",
  "skipped",
] as const;
export type PhaseStep = (typeof PHASE_STEPS)[number];

/** Phase states, as the orchestrator names them. */
export type PhaseStateName = "QUEUED" | "EXECUTING" | "CI_RUNNING" | "GATE" | "COMPLETE" | "FAILED" | "SKIPPED";

const PHASE_STATE: Readonly<Record<PhaseStep, PhaseStateName>> = {
  waiting: "QUEUED",
  building: "EXECUTING",
  checks: "CI_RUNNING",
  auditing: "GATE",
  awaiting_merge: "GATE",
  merged: "COMPLETE",
  escalated: "FAILED",
  cancelled: "SKIPPED",
  skipped: "SKIPPED",
};

/** The orchestrator's name for the state of a phase at this step. */
export function phaseStateOf(step: PhaseStep): PhaseStateName {
  return PHASE_STATE[step];
}

/** Steps that hold one of the tier's parallel slots. */
export const ACTIVE_STEPS: ReadonlySet<PhaseStep> = new Set(["building", "checks", "auditing"]);

export type PhaseCause =
  | "scheduled"
  | "build-failed"
  | "built"
  | "built-without-ci-gate"
  | "checks-passed"
  | "checks-failed"
  | "audit-approved"
  | "audit-asked-for-changes"
  | "new-head"
  | "merged"
  | "closed-unmerged"
  | "needs-a-person"
  | "changes-requested"
  | "retried"
  | "audit-requested"
  | "cancelled"
  | "budget-spent"
  | "skipped";

export interface Transition<S extends string, C extends string> {
  from: readonly S[];
  to: S;
  why: C;
  /** The move in words. */
  says: string;
}

export const PHASE_TRANSITIONS: readonly Transition<PhaseStep, PhaseCause>[] = [
  { from: ["waiting"], to: "building", why: "scheduled", says: "its tier is current and a parallel slot is free" },
  { from: ["building"], to: "building", why: "build-failed", says: "the attempt failed; the next one starts with the reason" },
  { from: ["building"], to: "checks", why: "built", says: "the attempt committed and opened its PR; the repository's checks run" },
  { from: ["building"], to: "auditing", why: "built-without-ci-gate", says: "the attempt committed and `ci.wait` is off" },
  { from: ["checks"], to: "auditing", why: "checks-passed", says: "the head's checks passed (or the repository has none)" },
  {
    from: ["checks", "auditing", "awaiting_merge"],
    to: "building",
    why: "checks-failed",
    says: "a check failed, even one that reported after the audit started or approved; its output goes to the Builder",
  },
  { from: ["auditing"], to: "awaiting_merge", why: "audit-approved", says: "the Auditor approved the head" },
  {
    from: ["auditing"],
    to: "building",
    why: "audit-asked-for-changes",
    says: "the Auditor asked for changes; its findings go to the Builder",
  },
  {
    from: ["checks", "auditing", "awaiting_merge"],
    to: "checks",
    why: "new-head",
    says: "the PR's head moved (a person pushed, or during the audit): the new head is checked and audited",
  },
  {
    from: ["waiting", "checks", "auditing", "awaiting_merge", "escalated"],
    to: "merged",
    why: "merged",
    says: "the phase PR was merged",
  },
  {
    from: ["checks", "auditing", "awaiting_merge"],
    to: "escalated",
    why: "closed-unmerged",
    says: "a person closed the phase PR without merging it",
  },
  {
    from: ["waiting", "building", "checks", "auditing", "awaiting_merge"],
    to: "escalated",
    why: "needs-a-person",
    says: "the Auditor escalated, a budget or the checks' time ran out (an approved phase whose checks failed late has no build left), the model server refused the app, or the Builder's change would alter what runs in CI or on install",
  },
  {
    from: ["waiting", "checks", "auditing", "awaiting_merge", "escalated", "cancelled"],
    to: "waiting",
    why: "changes-requested",
    says: "a person with write access requested changes on the PR",
  },
  {
    from: ["waiting", "awaiting_merge", "escalated", "cancelled"],
    to: "waiting",
    why: "retried",
    says: "`/autopack retry`: fresh attempt and token budgets",
  },
  { from: ["awaiting_merge", "escalated"], to: "checks", why: "audit-requested", says: "the audit check's Re-run button" },
  { from: ["waiting", "building", "checks", "auditing"], to: "cancelled", why: "cancelled", says: "`/autopack cancel`" },
  { from: ["waiting", "building", "checks", "auditing"], to: "cancelled", why: "budget-spent", says: "the run's budget is spent" },
  {
    from: ["waiting", "building", "checks", "auditing", "awaiting_merge", "escalated", "cancelled"],
    to: "skipped",
    why: "skipped",
    says: "`/autopack skip PHASE`: the tier finishes without it; its PR is left as it is",
  },
];

/** Run states, as the orchestrator names them. */
export const RUN_STATES = [
  "RUN_CREATED",
  "AWAITING_APPROVAL",
  "PHASE_EXECUTION",
  "DONE_SUCCESS",
  "DONE_FAILED_BUDGET_EXHAUSTED",
  "DONE_FAILED_REQUIRES_HUMAN_REVIEW",
] as const;
export type RunStateName = (typeof RUN_STATES)[number];

export type RunCause =
  | "started"
  | "all-tiers-merged"
  | "tier-stuck"
  | "cancelled"
  | "budget-spent"
  | "retried"
  | "audit-requested"
  | "approval-required"
  | "approved"
  | "skipped";

export const RUN_TRANSITIONS: readonly Transition<RunStateName, RunCause>[] = [
  { from: ["RUN_CREATED"], to: "PHASE_EXECUTION", why: "started", says: "the first tier has work" },
  { from: ["RUN_CREATED", "PHASE_EXECUTION"], to: "DONE_SUCCESS", why: "all-tiers-merged", says: "every phase PR is merged" },
  {
    from: ["RUN_CREATED", "PHASE_EXECUTION"],
    to: "DONE_FAILED_REQUIRES_HUMAN_REVIEW",
    why: "tier-stuck",
    says: "every phase of the tier has settled and some need a person",
  },
  {
    from: ["RUN_CREATED", "AWAITING_APPROVAL", "PHASE_EXECUTION"],
    to: "DONE_FAILED_REQUIRES_HUMAN_REVIEW",
    why: "cancelled",
    says: "`/autopack cancel`",
  },
  {
    from: ["RUN_CREATED", "AWAITING_APPROVAL", "PHASE_EXECUTION"],
    to: "DONE_FAILED_BUDGET_EXHAUSTED",
    why: "budget-spent",
    says: "the run's token cap or working time is spent",
  },
  {
    from: ["DONE_FAILED_REQUIRES_HUMAN_REVIEW", "DONE_FAILED_BUDGET_EXHAUSTED"],
    to: "PHASE_EXECUTION",
    why: "retried",
    says: "`/autopack retry` of a stopped run",
  },
  {
    from: ["DONE_FAILED_REQUIRES_HUMAN_REVIEW", "DONE_FAILED_BUDGET_EXHAUSTED"],
    to: "PHASE_EXECUTION",
    why: "audit-requested",
    says: "the audit check's Re-run button on a stopped run",
  },
  {
    from: ["RUN_CREATED"],
    to: "AWAITING_APPROVAL",
    why: "approval-required",
    says: "`require_plan_approval` is on: nothing is built before `/autopack approve`",
  },
  {
    from: ["DONE_FAILED_REQUIRES_HUMAN_REVIEW"],
    to: "AWAITING_APPROVAL",
    why: "retried",
    says: "`/autopack retry` of a run cancelled before enough writers approved it: it waits for them again",
  },
  {
    from: ["AWAITING_APPROVAL"],
    to: "RUN_CREATED",
    why: "approved",
    says: "as many writers as `approvals` asks for said `/autopack approve`",
  },
  {
    from: ["DONE_FAILED_REQUIRES_HUMAN_REVIEW"],
    to: "PHASE_EXECUTION",
    why: "skipped",
    says: "`/autopack skip` of the phase that held its tier (a cancelled run stays cancelled)",
  },
];

/** Whether the table holds the move. */
export function allows<S extends string, C extends string>(table: readonly Transition<S, C>[], from: S, to: S, why: C): boolean {
  return table.some((t) => t.to === to && t.why === why && t.from.includes(from));
}

export const TERMINAL_RUN_STATES: ReadonlySet<RunStateName> = new Set(RUN_STATES.filter((s) => s.startsWith("DONE_")));
