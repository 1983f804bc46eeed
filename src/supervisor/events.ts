import type { ChecksSummary } from "../github/door.js";
import type { FindingRef, StoredMirrorCall } from "./run-state.js";

/** What the reconcile saw on GitHub for one phase. */
export interface PhaseObservation {
  pr: { number: number; state: "open" | "closed"; merged: boolean; headSha: string } | null;
  /**
   * The repository's own checks on the PR head (the app's audit check excluded); null when not looked
   * at. Looked at while the phase waits for them, is audited or awaits its merge (a check that reports
   * late still counts).
   */
  checks: ChecksSummary | null;
}

export interface Observations {
  phases: Record<string, PhaseObservation | undefined>;
}

/** Why this reconcile runs. Finished long work and people's requests arrive as events. */
export type SupervisorEvent =
  | { type: "observe" }
  | {
      type: "build-finished";
      phaseId: string;
      attempt: number;
      status: "success" | "failed";
      commitSha: string | null;
      prNumber: number | null;
      tokens: number;
      minutes: number;
      notes: string;
      /** No retry can help (the model server refuses the app's key or model). */
      environment?: boolean;
      /** Only a person can go on: the change would alter what runs in CI or on install, and nothing was pushed. */
      needsPerson?: { reason: string; details: string };
      mirror: StoredMirrorCall[];
    }
  | {
      type: "audit-finished";
      phaseId: string;
      attempt: number;
      sha: string;
      recommendation: "approve" | "revise" | "escalate";
      stale: boolean;
      findings: FindingRef[];
      summary: string;
      tokens: number;
      minutes: number;
      mirror: StoredMirrorCall[];
    }
  | { type: "retry"; by: string; phases: string[] | null; feedback: Record<string, string> }
  | { type: "cancel"; by: string }
  /** `/autopack skip PHASE`: the phase's tier finishes without it. */
  | { type: "skip"; by: string; phaseId: string }
  /** `/autopack approve` of a run that waits for approvals. */
  | { type: "approve"; by: string }
  | { type: "changes-requested"; phaseId: string; by: string; feedback: string }
  | { type: "rerun-audit"; phaseId: string; sha: string };

/** Side effects `decide` asks for; each is carried out idempotently, keyed by run/phase/attempt. */
export type Action =
  | { type: "build"; phaseId: string; attempt: number; feedback: string | null; startOver: boolean }
  | { type: "audit"; phaseId: string; attempt: number; sha: string; pr: number }
  | { type: "merge"; phaseId: string; pr: number; sha: string }
  /** The app's passing audit check runs on `sha` stop passing: the Supervisor did not keep that verdict. */
  | { type: "overrule-audit"; phaseId: string; sha: string; reason: string }
  | {
      type: "escalate";
      phaseId: string | null;
      reason: string;
      /** Shown below the reason: the proposed change a person is asked to review. */
      details?: string;
    }
  | { type: "finish" };
