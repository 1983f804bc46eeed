import { createHash } from "node:crypto";
import type { AuditorResultBody, BuilderResultBody, IssueBody, RunStartBody } from "./schemas.js";

/** The orchestrator's state of one run, as the fake keeps it. */
export interface FakeIssue extends IssueBody {
  phase_id: string;
  tier_id: string;
  reported_by: "builder" | "auditor";
}

export interface FakeTier {
  id: number;
  tier_id: string;
  tier_index: number;
  name: string;
  description: string | null;
}

export interface FakePhase {
  id: number;
  phase_id: string;
  phase_index: number;
  tier_id: string;
  name: string;
  description: string | null;
  task_category: string | null;
  complexity: string | null;
  builder_mode: string | null;
  state: string;
  builder_attempts: number;
  auditor_attempts: number;
  tokens_used: number;
}

export interface FakeRun {
  run_id: string;
  state: string;
  safety_profile: string;
  run_scope: string;
  token_cap: number;
  max_phases: number;
  max_duration_minutes: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  tiers: FakeTier[];
  phases: FakePhase[];
  issues: FakeIssue[];
}

export const RUN_STATES = [
  "PLAN_BOOTSTRAP",
  "RUN_CREATED",
  "PHASE_QUEUEING",
  "PHASE_EXECUTION",
  "GATE",
  "CI_RUNNING",
  "SNAPSHOT_CREATED",
  "DONE_SUCCESS",
  "DONE_FAILED_BUDGET_EXHAUSTED",
  "DONE_FAILED_POLICY_VIOLATION",
  "DONE_FAILED_REQUIRES_HUMAN_REVIEW",
  "DONE_FAILED_ENVIRONMENT",
] as const;

const MINOR_PER_PHASE = 3;
let nextRowId = 1;

/** Builds a run from a valid start body, or says why the service would refuse it (400). */
export function createRun(body: RunStartBody, now = new Date()): FakeRun | string {
  const tierIds = new Set(body.tiers.map((t) => t.tier_id));
  const orphan = body.phases.find((p) => !tierIds.has(p.tier_id));
  if (orphan) return `Tier ${orphan.tier_id} not found for phase ${orphan.phase_id}`;
  return {
    run_id: body.run.run_id,
    safety_profile: body.run.safety_profile,
    run_scope: body.run.run_scope,
    token_cap: body.run.token_cap,
    max_phases: body.run.max_phases,
    max_duration_minutes: body.run.max_duration_minutes,
    state: "RUN_CREATED",
    created_at: now.toISOString(),
    started_at: null,
    completed_at: null,
    tiers: body.tiers.map((t) => ({
      id: nextRowId++,
      tier_id: t.tier_id,
      tier_index: t.tier_index,
      name: t.name,
      description: t.description ?? null,
    })),
    phases: body.phases.map((p) => ({
      id: nextRowId++,
      phase_id: p.phase_id,
      phase_index: p.phase_index,
      tier_id: p.tier_id,
      name: p.name,
      description: p.description ?? null,
      task_category: p.task_category ?? null,
      complexity: p.complexity ?? null,
      builder_mode: p.builder_mode ?? null,
      state: "QUEUED",
      builder_attempts: 0,
      auditor_attempts: 0,
      tokens_used: 0,
    })),
    issues: [],
  };
}

function recordIssues(run: FakeRun, phase: FakePhase, issues: IssueBody[], by: FakeIssue["reported_by"]): void {
  for (const issue of issues) run.issues.push({ ...issue, phase_id: phase.phase_id, tier_id: phase.tier_id, reported_by: by });
}

/** Builder result: overwrites attempts and tokens; success -> COMPLETE, needs_review -> GATE, else FAILED. */
export function applyBuilderResult(run: FakeRun, phase: FakePhase, body: BuilderResultBody): string | null {
  phase.builder_attempts = body.builder_attempts;
  phase.tokens_used = body.tokens_used;
  phase.state = body.status === "success" ? "COMPLETE" : body.status === "needs_review" ? "GATE" : "FAILED";
  recordIssues(run, phase, body.suggested_issues, "builder");
  run.started_at ??= new Date().toISOString();
  return body.patch_content ? createHash("sha1").update(body.patch_content).digest("hex") : null;
}

/** Auditor result: attempts overwritten, tokens ADDED; approve -> COMPLETE, revise -> EXECUTING, else FAILED. */
export function applyAuditorResult(run: FakeRun, phase: FakePhase, body: AuditorResultBody): void {
  phase.auditor_attempts = body.auditor_attempts;
  phase.tokens_used += body.tokens_used;
  phase.state = body.recommendation === "approve" ? "COMPLETE" : body.recommendation === "revise" ? "EXECUTING" : "FAILED";
  recordIssues(run, phase, body.issues_found, "auditor");
}

function distinctIssues(issues: FakeIssue[], severity?: string): number {
  return new Set(issues.filter((i) => severity === undefined || i.severity === severity).map((i) => `${i.phase_id}\u0000${i.issue_key}`))
    .size;
}

const issuesOf = (run: FakeRun, pick: (i: FakeIssue) => boolean) => run.issues.filter(pick);
const tokensOf = (phases: FakePhase[]) => phases.reduce((sum, p) => sum + p.tokens_used, 0);

function tierState(phases: FakePhase[]): string {
  if (phases.length > 0 && phases.every((p) => p.state === "COMPLETE")) return "COMPLETE";
  if (phases.some((p) => p.state === "FAILED")) return "FAILED";
  return phases.some((p) => p.state !== "QUEUED") ? "IN_PROGRESS" : "PENDING";
}

function tierFacts(run: FakeRun, tier: FakeTier) {
  const phases = run.phases.filter((p) => p.tier_id === tier.tier_id);
  const issues = issuesOf(run, (i) => i.tier_id === tier.tier_id);
  const minor = distinctIssues(issues, "minor");
  const major = distinctIssues(issues, "major");
  const clean = major === 0 && minor <= MINOR_PER_PHASE * phases.length;
  return { phases, minor, major, state: tierState(phases), cleanliness: clean ? "clean" : "not_clean" };
}

function phaseCounts(run: FakeRun, phase: FakePhase) {
  const issues = issuesOf(run, (i) => i.phase_id === phase.phase_id);
  return { minor: distinctIssues(issues, "minor"), major: distinctIssues(issues, "major") };
}

/** `GET /runs/{id}` and the answer to `POST /runs/start`. */
export function runResponse(run: FakeRun) {
  return {
    id: run.run_id,
    state: run.state,
    safety_profile: run.safety_profile,
    run_scope: run.run_scope,
    created_at: run.created_at,
    started_at: run.started_at,
    completed_at: run.completed_at,
    tokens_used: tokensOf(run.phases),
    ci_runs_used: 0,
    minor_issues_count: distinctIssues(run.issues, "minor"),
    major_issues_count: distinctIssues(run.issues, "major"),
    promotion_eligible_to_main: "false",
    debt_status: null,
    failure_reason: null,
    tiers: run.tiers.map((tier) => {
      const facts = tierFacts(run, tier);
      return {
        id: tier.id,
        tier_id: tier.tier_id,
        name: tier.name,
        state: facts.state,
        tier_index: tier.tier_index,
        cleanliness: facts.cleanliness,
        minor_issues_count: facts.minor,
        major_issues_count: facts.major,
        phases: facts.phases.map((p) => ({
          id: p.id,
          phase_id: p.phase_id,
          name: p.name,
          state: p.state,
          task_category: p.task_category,
          complexity: p.complexity,
          builder_mode: p.builder_mode,
          phase_index: p.phase_index,
        })),
      };
    }),
  };
}

/** `GET /reports/run_summary/{id}`. */
export function runSummary(run: FakeRun) {
  const tokens = tokensOf(run.phases);
  return {
    run_id: run.run_id,
    state: run.state,
    safety_profile: run.safety_profile,
    run_scope: run.run_scope,
    budgets: {
      tokens_used: tokens,
      token_cap: run.token_cap,
      token_utilization: tokens / run.token_cap,
      phase_count: run.phases.length,
      max_phases: run.max_phases,
    },
    issues: {
      minor_count: distinctIssues(run.issues, "minor"),
      major_count: distinctIssues(run.issues, "major"),
      max_minor_total: MINOR_PER_PHASE * run.phases.length,
      distinct_issues: distinctIssues(run.issues),
    },
    tiers: run.tiers.map((tier) => {
      const facts = tierFacts(run, tier);
      return {
        tier_id: tier.tier_id,
        name: tier.name,
        state: facts.state,
        phase_count: facts.phases.length,
        minor_issues: facts.minor,
        major_issues: facts.major,
        tokens_used: tokensOf(facts.phases),
      };
    }),
    phases: run.phases.map((p) => {
      const counts = phaseCounts(run, p);
      return {
        phase_id: p.phase_id,
        phase_index: p.phase_index,
        name: p.name,
        state: p.state,
        task_category: p.task_category,
        complexity: p.complexity,
        builder_attempts: p.builder_attempts,
        auditor_attempts: p.auditor_attempts,
        tokens_used: p.tokens_used,
        minor_issues: counts.minor,
        major_issues: counts.major,
      };
    }),
    started_at: run.started_at,
    completed_at: run.completed_at,
  };
}

/** One entry of `GET /metrics/runs`. */
export function runMetrics(run: FakeRun) {
  const tokens = tokensOf(run.phases);
  return {
    run_id: run.run_id,
    state: run.state,
    safety_profile: run.safety_profile,
    tokens_used: tokens,
    token_cap: run.token_cap,
    token_utilization: tokens / run.token_cap,
    minor_issues_count: distinctIssues(run.issues, "minor"),
    major_issues_count: distinctIssues(run.issues, "major"),
    max_minor_issues_total: MINOR_PER_PHASE * run.phases.length,
    phase_count: run.phases.length,
    tier_count: run.tiers.length,
    started_at: run.started_at,
    completed_at: run.completed_at,
  };
}
