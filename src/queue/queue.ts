import type { SupervisorEvent } from "../supervisor/events.js";

/**
 * The job queue port. Jobs are keyed so that a redelivered webhook or a retried job changes nothing:
 * jobs with the same `key` are serialised, and a job whose `id` is already queued or running is dropped.
 * The in-process queue is the default; a BullMQ queue on Redis implements the same interface.
 */
export interface IssueKey {
  installationId: number;
  owner: string;
  repo: string;
  issue: number;
}

export type Job =
  /** Observe the run of an issue and act on what changed. */
  | { kind: "reconcile"; target: IssueKey; reason: string }
  /** A person asked for something on an issue (label added, command comment); permission is checked in the worker. */
  | { kind: "intent"; target: IssueKey; intent: Intent }
  /** Long work finished (a build, an audit): record its outcome in the run. */
  | { kind: "event"; target: IssueKey; event: SupervisorEvent }
  /** One Builder attempt of one phase. */
  | { kind: "build"; target: IssueKey; runId: string; phaseId: string; attempt: number; feedback: string | null; startOver: boolean }
  /** One Auditor attempt of one phase, on one commit. */
  | { kind: "audit"; target: IssueKey; runId: string; phaseId: string; attempt: number; sha: string; pr: number };

export type Intent =
  | { type: "start"; sender: string; label: string }
  /** `onPullRequest`: the PR the comment is on; until `phaseId` is known the target is that PR, not the run's issue. */
  | { type: "command"; sender: string; commentId: number; body: string; onPullRequest: number | null; phaseId: string | null }
  | { type: "review"; sender: string; pullNumber: number; phaseId: string; reviewId: number; state: string; body: string }
  | { type: "rerun-audit"; sender: string; phaseId: string; headSha: string };

export interface QueuedJob {
  /** Deduplication id (delivery id, or run/phase/attempt for long work). */
  id: string;
  /** Serialisation key: jobs with one key never run at the same time. */
  key: string;
  job: Job;
  /** Run no sooner than this many milliseconds from now (time-outs, scheduled re-checks). */
  delayMs?: number;
}

export type JobHandler = (job: Job, meta: { id: string; attempt: number }) => Promise<void>;

export interface JobQueue {
  enqueue(job: QueuedJob): Promise<void>;
  /** Resolves once every queued and running job has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** The serialisation key of everything that reads or writes one issue's run. */
export function issueQueueKey(target: Pick<IssueKey, "owner" | "repo" | "issue">): string {
  return `issue:${target.owner}/${target.repo}#${target.issue}`;
}
