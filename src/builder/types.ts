import type { RepoConfig } from "../config/repo-config.js";
import type { RepoGitHub } from "../github/door.js";
import type { LlmPort, TokenBudget } from "../llm/port.js";
import type { Phase, Plan } from "../plan/schema.js";

/** Everything one Builder attempt of one phase needs. Built by the supervisor; no webhook context. */
export interface BuildInput {
  /** The run's repository on GitHub. */
  github: RepoGitHub;
  issueNumber: number;
  runId: string;
  plan: Plan;
  phase: Phase;
  /** 1-based attempt number of this phase's Builder. */
  attempt: number;
  /** Branch the PR targets (configured base or the default branch). */
  baseBranch: string;
  /** `autopack/<issue>/<phase_id>`. */
  branch: string;
  /** Why this attempt exists: audit findings, failing checks, a reviewer's comments (untrusted text). */
  feedback: string | null;
  /** Reset the phase branch to the base before building ("start over"). */
  startOver: boolean;
  /** The last commit this app built on the branch, as the run's signed state records it; a reset only happens over it. */
  appHead?: string | null;
  /** The phase's head as the run's signed state records it (the app's build, or a person's push on top). */
  recordedHead?: string | null;
  /** Key of the seal on the app's commits (`commit-seal.ts`): only a sealed commit is the app's. */
  sealKey: Buffer;
  config: RepoConfig;
  llm: LlmPort;
  budget: TokenBudget;
}

export interface BuildOutcome {
  status: "success" | "failed";
  /** The commit this attempt created (absent when it failed before committing). */
  commitSha: string | null;
  prNumber: number | null;
  prUrl: string | null;
  /** Unified git diff of this attempt's changes (`builder_result.patch_content`). */
  patch: string;
  filesChanged: string[];
  linesAdded: number;
  linesRemoved: number;
  tokensUsed: number;
  durationMinutes: number;
  /** What the Builder did and why, or why the attempt failed; shown to people. */
  notes: string;
  /** The failure is the environment's (the model server refuses our credentials or model): retrying cannot help. */
  environment?: boolean;
  /**
   * Only a person can go on: the change would alter what runs in CI or on install, so nothing was
   * pushed. The phase escalates with `reason`; `details` is the proposed change of those files.
   */
  needsPerson?: { reason: string; details: string };
}
