/**
 * The job queue port, generic over what a job carries. Jobs are keyed so that a redelivered webhook or
 * a retried job changes nothing: jobs with the same `key` are serialised, and a job whose `id` is
 * already queued or running is dropped. The in-process queue (`in-process-queue.ts`) and the BullMQ queue on Redis
 * (`bullmq-queue.ts`) implement it.
 */
export interface QueuedJob<T> {
  /** Deduplication id (delivery id, or run/phase/attempt for long work). */
  id: string;
  /** Serialisation key: jobs with one key never run at the same time. */
  key: string;
  job: T;
  /** Run no sooner than this many milliseconds from now (time-outs, scheduled re-checks). */
  delayMs?: number;
  /**
   * Jobs of one key with the same tag that wait to run are one: a job whose tag a waiting job of its
   * key already carries is dropped (one that is running does not count: it may have looked already).
   */
  coalesce?: string;
}

export type JobHandler<T> = (job: T, meta: { id: string; attempt: number }) => Promise<void>;

/** How many jobs are where (with Redis: across every process sharing the queue). */
export interface QueueDepth {
  waiting: number;
  /** Retries waiting for their backoff, and jobs queued for later (time-outs). */
  delayed: number;
  running: number;
}

export interface JobQueue<T> {
  enqueue(job: QueuedJob<T>): Promise<void>;
  /** Counts the jobs; rejects when the queue's store cannot be reached (the app is then not ready). */
  depth(): Promise<QueueDepth>;
  /** Resolves once every queued and running job has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
  /**
   * A queue kept outside the process (on Redis) can lose every job at once when its store restarts
   * empty: `listener` is called (in one process) when that happened, so that what GitHub holds is
   * looked at again. An in-process queue dies with its process and never calls it.
   */
  onLost?(listener: () => void): void;
}
