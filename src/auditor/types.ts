import type { RepoConfig } from "../config/repo-config.js";
import type { RepoGitHub } from "../github/door.js";
import type { LlmPort, TokenBudget } from "../llm/port.js";
import type { Phase, Plan } from "../plan/schema.js";

export type Severity = "minor" | "major";
export type Recommendation = "approve" | "revise" | "escalate";
export type Confidence = "low" | "medium" | "high";

export interface Finding {
  /** Stable across attempts for the same problem (used as the API's `issue_key`). */
  key: string;
  path: string | null;
  line: number | null;
  severity: Severity;
  /** bug, security, test, scope, style, … */
  category: string;
  message: string;
  /** Replacement text for the line(s), posted as a GitHub `suggestion` block. */
  suggestion: string | null;
  /** `model` or `check` (deterministic checks that don't depend on the model). */
  source: "model" | "check";
}

export interface AuditInput {
  /** The run's repository on GitHub. */
  github: RepoGitHub;
  issueNumber: number;
  runId: string;
  plan: Plan;
  phase: Phase;
  /** 1-based attempt number of this phase's Auditor. */
  attempt: number;
  prNumber: number;
  /** The commit being audited; the review and check run are pinned to it. */
  headSha: string;
  /** Findings of earlier audits of this phase, so repeated ones are referred to rather than posted again. */
  previousFindings: Finding[];
  config: RepoConfig;
  llm: LlmPort;
  budget: TokenBudget;
}

export interface AuditOutcome {
  recommendation: Recommendation;
  confidence: Confidence;
  summary: string;
  findings: Finding[];
  /** Text of the review body (`auditor_result.review_notes`). */
  reviewNotes: string;
  suggestedPatches: { description: string; patch_content: string; files_affected: string[] }[];
  tokensUsed: number;
  reviewId: number | null;
  checkRunId: number | null;
  /** The PR's head moved while auditing: the verdict was not reported as the PR's verdict. */
  stale: boolean;
}
