import type { Job } from "../supervisor/jobs.js";
import type { Log } from "../supervisor/deps.js";

/** The fields every line a job logs carries (null where the job does not know it yet). */
export interface JobFields {
  /** The webhook's delivery id (`X-GitHub-Delivery`) for a job a webhook queued; null for follow-up work. */
  deliveryId: string | null;
  /** `owner/name`. */
  repo: string;
  issue: number;
  runId: string | null;
  phase: string | null;
  /** The queue's id of the job, and its attempt. */
  job: string;
  kind: Job["kind"];
  attempt: number;
}

/** Ids the app gives its own follow-up jobs (`build:…`, `sweep:…`, `mirror:…`); any other id is a delivery's. */
const FOLLOW_UP = /^[a-z][a-z-]*:/;

export function jobFields(job: Job, meta: { id: string; attempt: number }): JobFields {
  const fromWebhook = (job.kind === "intent" || job.kind === "reconcile") && !FOLLOW_UP.test(meta.id);
  const phase =
    job.kind === "build" || job.kind === "audit"
      ? job.phaseId
      : job.kind === "event" && "phaseId" in job.event
        ? job.event.phaseId
        : job.kind === "intent" && "phaseId" in job.intent
          ? job.intent.phaseId
          : null;
  return {
    // A command on a pull request is handed to its run's issue as `<delivery>:run`.
    deliveryId: fromWebhook ? meta.id.replace(/:run$/, "") : null,
    repo: `${job.target.owner}/${job.target.repo}`,
    issue: job.target.issue,
    runId: job.kind === "build" || job.kind === "audit" ? job.runId : null,
    phase: phase ?? null,
    job: meta.id,
    kind: job.kind,
    attempt: meta.attempt,
  };
}

const KEYS = ["deliveryId", "repo", "issue", "runId", "phase"] as const;

/**
 * A job's logger: every line carries the job's fields. A field the job knows wins over the same
 * field at the call (which may name the issue as an object); one it does not know yet (null) takes
 * the call's value. `bind` adds what the job learns, such as the run id once the run is loaded.
 */
export function jobLog(base: Log, fields: JobFields): Log & { bind(more: Partial<JobFields>): void } {
  const own: JobFields = { ...fields };
  const line = (at: object): object => {
    const merged: Record<string, unknown> = { ...at, ...own };
    for (const key of KEYS) if (own[key] === null) merged[key] = (at as Record<string, unknown>)[key] ?? null;
    return merged;
  };
  return {
    debug: (at, message) => base.debug(line(at), message),
    info: (at, message) => base.info(line(at), message),
    warn: (at, message) => base.warn(line(at), message),
    error: (at, message) => base.error(line(at), message),
    bind: (more) => Object.assign(own, more),
  };
}
