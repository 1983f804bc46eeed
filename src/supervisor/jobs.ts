import type { JobHandler, JobQueue, QueuedJob } from "../queue/queue.js";
import type { SupervisorEvent } from "./events.js";

/** The issue a job is about, and the installation that can reach it. */
export interface IssueKey {
  installationId: number;
  owner: string;
  repo: string;
  issue: number;
}

/** What the app queues: every job is about one issue's run. */
export type Job =
  /**
   * Observe the run of an issue and act on what changed. `merged`: a phase PR the webhook said was
   * merged, with its head (final, unlike anything else a webhook says of a PR, so it is not read again).
   */
  | { kind: "reconcile"; target: IssueKey; reason: string; merged?: { pr: number; headSha: string } }
  /** A person asked for something on an issue (label added, command comment); permission is checked in the worker. */
  | { kind: "intent"; target: IssueKey; intent: Intent }
  /** Long work finished (a build, an audit): record its outcome in the run. */
  | { kind: "event"; target: IssueKey; event: SupervisorEvent }
  /** One Builder attempt of one phase. */
  | { kind: "build"; target: IssueKey; runId: string; phaseId: string; attempt: number; feedback: string | null; startOver: boolean }
  /** One Auditor attempt of one phase, on one commit. */
  | { kind: "audit"; target: IssueKey; runId: string; phaseId: string; attempt: number; sha: string; pr: number };

export type Intent =
  /** `body`: the issue body the labelled webhook carried, as it was when the label was added. */
  | { type: "start"; sender: string; label: string; body: string }
  /**
   * `onPullRequest`: the PR the comment is on; until `phaseId` is known the target is that PR, not the
   * run's issue. `outsider`: the webhook already says the sender has no write access (see
   * `cannotSteerByAssociation`); never set to let anyone in.
   */
  | {
      type: "command";
      sender: string;
      commentId: number;
      body: string;
      onPullRequest: number | null;
      phaseId: string | null;
      outsider?: boolean;
    }
  | { type: "review"; sender: string; pullNumber: number; phaseId: string; reviewId: number; state: string; body: string }
  | { type: "rerun-audit"; sender: string; phaseId: string; headSha: string }
  /**
   * A person edited the app's status comment and ticked boxes of its control panel: `body` is the
   * comment as the edit left it, `from` as it was before (GitHub's `changes.body.from`).
   */
  | { type: "tick"; sender: string; commentId: number; body: string; from: string | null };

export type AppQueue = JobQueue<Job>;
export type AppQueuedJob = QueuedJob<Job>;
export type AppJobHandler = JobHandler<Job>;

/**
 * The coalescing tag of an issue's reconciles: one that waits in the queue already looks at everything
 * the next would (a reconcile observes GitHub afresh), so more of them while it waits are one.
 */
export function reconcileTag(target: Pick<IssueKey, "owner" | "repo" | "issue">): string {
  return `reconcile:${issueQueueKey(target)}`;
}

/** The serialisation key of everything that reads or writes one issue's run. */
export function issueQueueKey(target: Pick<IssueKey, "owner" | "repo" | "issue">): string {
  return `issue:${target.owner}/${target.repo}#${target.issue}`;
}
