import type { Phase, Plan } from "../plan/schema.js";
import type { PhaseBudget } from "../plan/budgets.js";
import type {
  AuditorRequest,
  AuditorResult,
  BuilderResult,
  Issue,
  PhaseCreate,
  ProbeResult,
  RunStartRequest,
  TierCreate,
} from "./schemas.js";

/*
 * Pure mappers from Autopack's own objects to the orchestrator's request bodies. Optional fields
 * that have no value are left out (never null), and only declared fields are sent: the plan's
 * `scope` and `acceptance` stay in Autopack.
 */

/** Drops the keys whose value is undefined, so they are not sent at all. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function runStartBody(runId: string, plan: Plan): RunStartRequest {
  const { run } = plan;
  return {
    run: compact({
      run_id: runId,
      safety_profile: run.safety_profile,
      run_scope: run.run_scope,
      token_cap: run.token_cap,
      max_phases: run.max_phases,
      max_duration_minutes: run.max_duration_minutes,
    }),
    tiers: plan.tiers.map((tier): TierCreate =>
      compact({ tier_id: tier.tier_id, tier_index: tier.tier_index, name: tier.name, description: tier.description }),
    ),
    phases: plan.phases.map((phase): PhaseCreate =>
      compact({
        phase_id: phase.phase_id,
        phase_index: phase.phase_index,
        tier_id: phase.tier_id,
        name: phase.name,
        description: phase.description,
        task_category: phase.task_category,
        // The service stores the run, then compiles its strategy, which fails (500, the run half made)
        // on a phase without a complexity; "medium" is what it assumes when none is given.
        complexity: phase.complexity ?? "medium",
        builder_mode: phase.builder_mode,
      }),
    ),
  };
}

/** What a `builder_result` reports of one Builder attempt (the Builder's outcome has these fields). */
export interface BuildReport {
  status: "success" | "failed";
  /** Unified git diff of the attempt's changes; empty when it failed before committing. */
  patch: string;
  filesChanged: readonly string[];
  linesAdded: number;
  linesRemoved: number;
  tokensUsed: number;
  durationMinutes: number;
  notes: string;
}

/** One finding of an audit, as the `issues_found` of an `auditor_result` needs it. */
export interface FindingReport {
  key: string;
  path: string | null;
  line: number | null;
  severity: "minor" | "major";
  category: string;
  message: string;
  /** `model`, or `check` for a deterministic check. */
  source: "model" | "check";
}

/** What an `auditor_result` reports of one audit (the Auditor's outcome has these fields). */
export interface AuditReport {
  recommendation: "approve" | "revise" | "escalate";
  confidence: "low" | "medium" | "high";
  summary: string;
  reviewNotes: string;
  findings: readonly FindingReport[];
  suggestedPatches: readonly { description: string; patch_content: string; files_affected: readonly string[] }[];
  tokensUsed: number;
}

export interface BuilderResultArgs {
  runId: string;
  phaseId: string;
  outcome: BuildReport;
  /** 1-based attempt number of this phase's Builder (the service stores it as `builder_attempts`). */
  attempt: number;
  probeResults?: ProbeResult[];
  /**
   * The service overwrites the phase's `tokens_used` with this value (auditor tokens are added
   * instead). Pass the phase's running total to keep its count right; defaults to this attempt's.
   */
  tokensUsed?: number;
  suggestedIssues?: Issue[];
}

export function builderResultBody(args: BuilderResultArgs): BuilderResult {
  const { outcome } = args;
  return compact({
    phase_id: args.phaseId,
    run_id: args.runId,
    // The service runs `git apply` on it; an attempt that failed before committing has no patch.
    patch_content: outcome.patch.trim() === "" ? undefined : outcome.patch,
    files_changed: [...outcome.filesChanged],
    lines_added: Math.max(0, Math.trunc(outcome.linesAdded)),
    lines_removed: Math.max(0, Math.trunc(outcome.linesRemoved)),
    builder_attempts: args.attempt,
    tokens_used: Math.max(0, Math.trunc(args.tokensUsed ?? outcome.tokensUsed)),
    duration_minutes: Math.max(0, outcome.durationMinutes),
    probe_results: (args.probeResults ?? []).map((p) => ({ ...p })),
    suggested_issues: (args.suggestedIssues ?? []).map((i) => ({ ...i, evidence_refs: [...i.evidence_refs] })),
    status: outcome.status,
    notes: outcome.notes,
  });
}

export interface AuditorRequestArgs {
  runId: string;
  phase: Phase;
  builder: BuilderResult | null;
  failureContext?: string;
  budget: PhaseBudget;
}

export function auditorRequestBody(args: AuditorRequestArgs): AuditorRequest {
  return compact({
    phase_id: args.phase.phase_id,
    run_id: args.runId,
    tier_id: args.phase.tier_id,
    builder_result: args.builder ?? undefined,
    failure_context: args.failureContext === "" ? undefined : args.failureContext,
    review_focus: args.budget.review_focus,
    auditor_profile: args.budget.auditor_profile,
  });
}

/** `path:line`, `path`, or nothing when the finding is about the change as a whole. */
export function evidenceRefs(finding: FindingReport): string[] {
  if (finding.path === null || finding.path === "") return [];
  return [finding.line !== null ? `${finding.path}:${finding.line}` : finding.path];
}

/**
 * `auditor` for the model's findings; for a deterministic check, the check's name. Findings carry no
 * separate check name, so a check is named by its category (`check:scope`, `check:test`, …).
 */
export function issueSource(finding: FindingReport): string {
  return finding.source === "model" ? "auditor" : `check:${finding.category}`;
}

export function findingToIssue(finding: FindingReport): Issue {
  return {
    issue_key: finding.key,
    severity: finding.severity,
    source: issueSource(finding),
    category: finding.category,
    evidence_refs: evidenceRefs(finding),
    description: finding.message,
  };
}

export interface AuditorResultArgs {
  runId: string;
  phaseId: string;
  outcome: AuditReport;
  /** 1-based attempt number of this phase's Auditor. */
  attempt: number;
}

export function auditorResultBody(args: AuditorResultArgs): AuditorResult {
  const { outcome } = args;
  return {
    phase_id: args.phaseId,
    run_id: args.runId,
    review_notes: outcome.reviewNotes !== "" ? outcome.reviewNotes : outcome.summary,
    issues_found: outcome.findings.map(findingToIssue),
    suggested_patches: outcome.suggestedPatches.map((p) => ({
      description: p.description,
      patch_content: p.patch_content,
      files_affected: [...p.files_affected],
    })),
    auditor_attempts: args.attempt,
    // Added to the phase's count by the service: this attempt's tokens only.
    tokens_used: Math.max(0, Math.trunc(outcome.tokensUsed)),
    recommendation: outcome.recommendation,
    confidence: outcome.confidence,
  };
}
