import { z } from "zod";
import { MirrorCallSchema, type MirrorCall } from "../autopack-api/calls.js";
import { PlanSchema } from "../plan/schema.js";
import { PHASE_STEPS, RUN_STATES, TERMINAL_RUN_STATES } from "./transitions.js";

export type { PhaseStep, RunStateName } from "./transitions.js";
export type StoredMirrorCall = MirrorCall;

export const FindingRefSchema = z.object({
  key: z.string(),
  path: z.string().nullable(),
  line: z.number().int().nullable(),
  severity: z.enum(["minor", "major"]),
  category: z.string(),
  message: z.string(),
  attempt: z.number().int(),
});
export type FindingRef = z.infer<typeof FindingRefSchema>;

/** One phase of a run. Its place in the run is `step` alone (see src/supervisor/transitions.ts). */
export const PhaseRecordSchema = z.object({
  step: z.enum(PHASE_STEPS),
  builder_attempts: z.number().int().nonnegative(),
  auditor_attempts: z.number().int().nonnegative(),
  /** Attempts used before the last `/autopack retry`; the budget counts attempts since then. */
  builder_floor: z.number().int().nonnegative(),
  auditor_floor: z.number().int().nonnegative(),
  /** Tokens spent before the last `/autopack retry`; the phase's token cap counts tokens since then. */
  token_floor: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  pr: z.number().int().nullable(),
  /** The commit under review: the last build's, or one a person pushed on top. */
  head_sha: z.string().nullable(),
  /** The commit the app's last successful build made (start-over only ever resets over it). */
  built_sha: z.string().nullable(),
  /** Commit the last finished audit looked at, and its verdict. */
  audited_sha: z.string().nullable(),
  verdict: z.enum(["approve", "revise", "escalate"]).nullable(),
  /** Feedback for the next build (audit findings, a reviewer's comments); untrusted text. */
  feedback: z.string().nullable(),
  /** Why the phase stopped, for people. */
  reason: z.string().nullable(),
  findings: z.array(FindingRefSchema),
  /** The next build resets the phase branch to the base (a person closed its PR unmerged). */
  start_over: z.boolean(),
  /** Mirror calls held back until the phase's checks finish (then sent with their probe results). */
  held: z.array(MirrorCallSchema),
  /** When the current step started (ISO), for time-outs. */
  since: z.string(),
});
export type PhaseRecord = z.infer<typeof PhaseRecordSchema>;

/** The run's calls to the orchestrator that it has not taken yet. Mirroring off is the API's business, not the state's. */
export const MirrorRecordSchema = z.object({
  /** Calls not yet accepted by the Autopack API, oldest first; sent again on every turn. */
  pending: z.array(MirrorCallSchema),
  last_error: z.string().nullable(),
  /** The last call the service refused for good (and that was dropped), for people to see. */
  last_refusal: z.string().nullable().default(null),
});
export type MirrorRecord = z.infer<typeof MirrorRecordSchema>;

export const RunStateSchema = z.object({
  v: z.literal(2),
  run_id: z.string(),
  /** Numbers runs of this issue, from 1, growing and never repeating (`nextRunNumber`). */
  n: z.number().int().positive(),
  repo_id: z.number().int(),
  issue: z.number().int().positive(),
  started_by: z.string(),
  started_at: z.string(),
  state: z.enum(RUN_STATES),
  /** Index into the plan's tiers of the tier being worked on. */
  tier: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  /** Minutes of autonomous work (builds and audits), checked against `max_duration_minutes`. */
  work_minutes: z.number().nonnegative(),
  phases: z.record(z.string(), PhaseRecordSchema),
  mirror: MirrorRecordSchema,
  /** Why the run ended or waits for a person. */
  reason: z.string().nullable(),
  /** Who cancelled the run (`/autopack cancel`), while it stays cancelled. */
  cancelled_by: z.string().nullable(),
  /** What was cut from this record to fit its comment, for people (the latest few). */
  left_out: z.array(z.string()).default([]),
  /**
   * The approval gate (`require_plan_approval`): how many writers must say `/autopack approve`, and
   * who did (each once). Null for a run that needs none.
   */
  approval: z
    .object({ needed: z.number().int().positive(), by: z.array(z.string()) })
    .nullable()
    .default(null),
  /** Where the plan came from: the issue body, or Autopack's plan comment as proposed or as a writer edited it. */
  plan_from: z.enum(["issue", "proposal", "edited-proposal"]).default("issue"),
  plan: PlanSchema,
});
export type RunState = z.infer<typeof RunStateSchema>;

export function isTerminal(state: RunState): boolean {
  return TERMINAL_RUN_STATES.has(state.state);
}

/** How many more writers must approve before the run may build anything (0 when none). */
export function approvalsMissing(state: RunState): number {
  return state.approval === null ? 0 : Math.max(0, state.approval.needed - state.approval.by.length);
}

/** `gh-<repository id>-<issue number>-<n>`, n numbering runs of that issue (never twice the same). */
export function runIdFor(repoId: number, issue: number, n: number): string {
  return `gh-${repoId}-${issue}-${n}`;
}

export function newPhaseRecord(now: string): PhaseRecord {
  return {
    step: "waiting",
    builder_attempts: 0,
    auditor_attempts: 0,
    builder_floor: 0,
    auditor_floor: 0,
    token_floor: 0,
    tokens: 0,
    pr: null,
    head_sha: null,
    built_sha: null,
    audited_sha: null,
    verdict: null,
    feedback: null,
    reason: null,
    findings: [],
    held: [],
    start_over: false,
    since: now,
  };
}
