import pRetry from "p-retry";
import type { JobHandler, JobQueue, QueueDepth, QueuedJob } from "./queue.js";

export interface InProcessQueueOptions<T> {
  handler: JobHandler<T>;
  /** Jobs running at once across keys. */
  concurrency?: number;
  /** Attempts of a failing job, with exponential backoff and jitter between them. */
  attempts?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A finished job's id is remembered this long, so a redelivery or replay does not run it again. */
  dedupeWindowMs?: number;
  onError?: (error: unknown, job: QueuedJob<T>, attempt: number, final: boolean) => void;
}

interface Lane<T> {
  jobs: QueuedJob<T>[];
  running: boolean;
}

/**
 * The default queue: in memory, jobs of one key run one after another (a run's reconciles never
 * interleave), different keys run concurrently up to `concurrency`. A job id that is queued, running
 * or recently finished is not queued again (one that failed for good may be), nor is a job whose
 * `coalesce` tag a waiting job of its key carries. Work queued here dies with the process; the startup
 * sweep re-reconciles open runs from their state on GitHub.
 */
export class InProcessQueue<T> implements JobQueue<T> {
  readonly #options: Required<Omit<InProcessQueueOptions<T>, "onError">> & Pick<InProcessQueueOptions<T>, "onError">;
  readonly #lanes = new Map<string, Lane<T>>();
  readonly #known = new Map<string, number>(); // id -> finished at (0 while queued or running)
  readonly #ready: string[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #active = 0;
  /** Running jobs that wait for their next attempt (p-retry's backoff). */
  #retrying = 0;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(options: InProcessQueueOptions<T>) {
    this.#options = {
      concurrency: 4,
      attempts: 5,
      minRetryDelayMs: 1_000,
      maxRetryDelayMs: 60_000,
      dedupeWindowMs: 10 * 60_000,
      ...options,
    };
  }

  async enqueue(item: QueuedJob<T>): Promise<void> {
    if (this.#closed) throw new Error("the queue is closed");
    this.#forgetOld();
    if (this.#known.has(item.id)) return;
    if (item.coalesce !== undefined && !(item.delayMs !== undefined && item.delayMs > 0)) {
      const waiting = this.#lanes.get(item.key)?.jobs.some((j) => j.coalesce === item.coalesce);
      if (waiting) return;
    }
    this.#known.set(item.id, 0);
    if (item.delayMs !== undefined && item.delayMs > 0) {
      // A delayed job waits outside the lanes (drain does not wait for it) and dies with the process;
      // the startup sweep stands in for lost timers.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#known.delete(item.id);
        if (!this.#closed)
          void this.enqueue({
            id: item.id,
            key: item.key,
            job: item.job,
            ...(item.coalesce !== undefined ? { coalesce: item.coalesce } : {}),
          });
      }, item.delayMs);
      timer.unref();
      this.#timers.add(timer);
      return;
    }
    let lane = this.#lanes.get(item.key);
    if (!lane) {
      lane = { jobs: [], running: false };
      this.#lanes.set(item.key, lane);
    }
    lane.jobs.push(item);
    if (!lane.running && !this.#ready.includes(item.key)) this.#ready.push(item.key);
    this.#pump();
  }

  /** True while a job with this id is queued or running. */
  has(id: string): boolean {
    return this.#known.get(id) === 0;
  }

  async depth(): Promise<QueueDepth> {
    let waiting = 0;
    for (const lane of this.#lanes.values()) waiting += lane.jobs.length;
    return { waiting, delayed: this.#timers.size + this.#retrying, running: this.#active - this.#retrying };
  }

  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.drain();
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#ready.length === 0;
  }

  #forgetOld(): void {
    const cutoff = Date.now() - this.#options.dedupeWindowMs;
    // Finished ids are kept in the order they finished (see #pump): the oldest come first, and the
    // look stops at the first one still in the window, so each enqueue costs what it forgets.
    for (const [id, finishedAt] of this.#known) {
      if (finishedAt === 0) continue;
      if (finishedAt >= cutoff) break;
      this.#known.delete(id);
    }
  }

  #pump(): void {
    while (this.#active < this.#options.concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      const lane = this.#lanes.get(key);
      const item = lane?.jobs.shift();
      if (!lane || !item) continue;
      lane.running = true;
      this.#active++;
      void this.#run(item).then((succeeded) => {
        // A finished job's id is remembered (a redelivery changes nothing); one that failed for good
        // is forgotten, so the next event or redelivery may queue it again.
        if (succeeded) {
          this.#known.delete(item.id);
          this.#known.set(item.id, Date.now());
        } else this.#known.delete(item.id);
        lane.running = false;
        this.#active--;
        if (lane.jobs.length > 0) this.#ready.push(key);
        else this.#lanes.delete(key);
        this.#pump();
        if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #run(item: QueuedJob<T>): Promise<boolean> {
    const { attempts, minRetryDelayMs, maxRetryDelayMs, handler, onError } = this.#options;
    let attempt = 0;
    let waiting = false;
    const backingOff = (now: boolean) => {
      if (now !== waiting) this.#retrying += now ? 1 : -1;
      waiting = now;
    };
    try {
      // The job's own work starts on the next turn of the event loop, never inside `enqueue`: a
      // webhook handler that queues a job returns, and GitHub has its answer, before any of it runs.
      await new Promise(setImmediate);
      await pRetry(
        async () => {
          backingOff(false);
          attempt++;
          await handler(item.job, { id: item.id, attempt });
        },
        {
          retries: attempts - 1,
          minTimeout: minRetryDelayMs,
          maxTimeout: maxRetryDelayMs,
          factor: 2,
          randomize: true,
          // A process that is closing (SIGTERM) retries nothing: its credentials and queue are going away,
          // and the next process's startup sweep reconciles the issue afresh.
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            const final = retriesLeft === 0 || this.#closed;
            backingOff(!final);
            onError?.(error, item, attemptNumber, final);
          },
          shouldRetry: () => !this.#closed,
        },
      );
      return true;
    } catch {
      // Reported through onError with final = true; the next reconcile observes afresh.
      return false;
    } finally {
      backingOff(false);
    }
  }
}
