import { DelayedError, Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import { LeaseLocks } from "./lease-lock.js";
import type { JobHandler, JobQueue, QueueDepth, QueuedJob } from "./queue.js";

/**
 * The job queue on Redis, with BullMQ: several processes share it. Jobs are deduplicated by id (a
 * job id already queued, running or finished within `dedupeWindowMs` is not queued again; one that
 * failed for good is forgotten), retried with exponential backoff and jitter, and recovered by
 * another process when the one running it dies (BullMQ's stalled-job check). Jobs of one key never
 * run at once, across all processes: a worker takes the key's lease lock in Redis before it runs a
 * job, and a job whose key is busy goes back to wait a moment (BullMQ's open-source edition has no
 * groups). Without a handler it only queues (the web role).
 */
export interface BullQueueOptions<T> {
  /** `redis://…`, or the path of a Unix socket. */
  redisUrl: string;
  /** Queue name; processes that share it share the work. */
  name?: string;
  /** Runs the jobs; absent in a process that only queues them. */
  handler?: JobHandler<T>;
  /** Jobs this process runs at once. */
  concurrency?: number;
  attempts?: number;
  minRetryDelayMs?: number;
  dedupeWindowMs?: number;
  /** How long a key's lock and a running job's claim last without being renewed (a dead process's work is taken over after this). */
  leaseMs?: number;
  onError?: (error: unknown, job: QueuedJob<T>, attempt: number, final: boolean) => void;
}

interface Stored<T> {
  id: string;
  key: string;
  job: T;
}

/** BullMQ refuses custom ids containing ":"; ids here are readable, so only that character is swapped. */
const toBullId = (id: string) => id.replaceAll(":", "~");

/** ioredis for a URL or a socket path; BullMQ needs `maxRetriesPerRequest: null` on its connections. */
export function redisConnection(url: string): Redis {
  const options = { maxRetriesPerRequest: null } as const;
  const redis = url.startsWith("/") ? new Redis({ ...options, path: url }) : new Redis(url, options);
  // ioredis reconnects by itself; without a listener an "error" event would end the process.
  redis.on("error", () => undefined);
  return redis;
}

export class BullQueue<T> implements JobQueue<T> {
  readonly #options: Required<Omit<BullQueueOptions<T>, "handler" | "onError">> & Pick<BullQueueOptions<T>, "handler" | "onError">;
  readonly #lost: (() => void)[] = [];
  readonly #connections: Redis[] = [];
  readonly #queue: Queue;
  /** Jobs queued for later (time-outs): when due, each is queued on `#queue`, so `#queue` only ever delays retries. */
  readonly #later: Queue;
  readonly #workers: Worker[] = [];
  #closed = false;

  constructor(options: BullQueueOptions<T>) {
    this.#options = {
      name: "autopack",
      concurrency: 4,
      attempts: 5,
      minRetryDelayMs: 1_000,
      dedupeWindowMs: 10 * 60_000,
      leaseMs: 30_000,
      ...options,
    };
    const connect = () => {
      const redis = redisConnection(this.#options.redisUrl);
      this.#connections.push(redis);
      return redis;
    };
    this.#queue = new Queue(this.#options.name, { connection: connect() });
    this.#later = new Queue(`${this.#options.name}-later`, { connection: connect() });
    const handler = this.#options.handler;
    if (handler === undefined) return;
    this.#workers.push(
      new Worker(`${this.#options.name}-later`, async (job: BullJob<Stored<T>>) => this.#add(job.data, 0), { connection: connect() }),
    );
    const locks = new LeaseLocks(connect(), { prefix: `autopack:${this.#options.name}:key:`, leaseMs: this.#options.leaseMs });
    const worker = new Worker(
      this.#options.name,
      async (job: BullJob<Stored<T>>, token?: string) => {
        const lock = await locks.tryAcquire(job.data.key);
        if (lock === null) {
          // Another job of this key runs (here or in another process): wait a moment, not counted as an attempt.
          await job.moveToDelayed(Date.now() + 50 + Math.floor(Math.random() * 200), token);
          throw new DelayedError();
        }
        try {
          await handler(job.data.job, { id: job.data.id, attempt: job.attemptsMade + 1 });
        } finally {
          await lock.release();
        }
      },
      {
        connection: connect(),
        concurrency: this.#options.concurrency,
        lockDuration: this.#options.leaseMs,
        // A dead process's job is looked for as often as a claim lasts.
        stalledInterval: this.#options.leaseMs,
        maxStalledCount: 3,
      },
    );
    this.#workers.push(worker);
    worker.on("failed", (job, error) => {
      if (!job || error instanceof DelayedError) return;
      const attempt = job.attemptsMade;
      const { id, key, job: payload } = job.data as Stored<T>;
      const item: QueuedJob<T> = { id, key, job: payload };
      this.#options.onError?.(error, item, attempt, attempt >= this.#options.attempts);
    });
    // A lost connection is retried by ioredis; an unhandled "error" event would end the process.
    for (const w of this.#workers) w.on("error", () => undefined);
    this.#watchForLoss(connect());
  }

  /**
   * Listens for Redis coming back empty (restarted without its data: queued, delayed and running jobs
   * and the locks are gone), in a process that runs jobs. A connection that only dropped, with Redis'
   * data kept, calls nothing.
   */
  onLost(listener: () => void): void {
    this.#lost.push(listener);
  }

  /**
   * A key that lives as long as Redis' data: set when this process starts (if missing) and set again
   * after every reconnection; the one process whose reconnection finds it missing (set-if-absent
   * succeeds) learns that Redis lost everything and tells its `onLost` listeners.
   */
  #watchForLoss(redis: Redis): void {
    const marker = `autopack:${this.#options.name}:alive`;
    const stamp = () => redis.set(marker, new Date().toISOString(), "NX");
    void stamp().catch(() => undefined);
    let dropped = false;
    redis.on("close", () => (dropped = true));
    redis.on("ready", () => {
      if (!dropped || this.#closed) return;
      dropped = false;
      void stamp()
        .then((set) => {
          if (set === "OK" && !this.#closed) for (const listener of this.#lost) listener();
        })
        .catch(() => undefined);
    });
  }

  async enqueue(item: QueuedJob<T>): Promise<void> {
    if (this.#closed) throw new Error("the queue is closed");
    const data: Stored<T> = { id: item.id, key: item.key, job: item.job };
    const delay = item.delayMs ?? 0;
    if (delay <= 0) return this.#add(data, 0);
    await this.#later.add("later", data, { jobId: toBullId(item.id), delay, removeOnComplete: true, removeOnFail: true });
  }

  async #add(data: Stored<T>, delay: number): Promise<void> {
    await this.#queue.add("job", data, {
      jobId: toBullId(data.id),
      delay,
      attempts: this.#options.attempts,
      backoff: { type: "exponential", delay: this.#options.minRetryDelayMs, jitter: 0.5 },
      removeOnComplete: { age: Math.ceil(this.#options.dedupeWindowMs / 1000) },
      removeOnFail: true,
    });
  }

  /**
   * The queue's counts in Redis. Rejects at once while the connection is down (ioredis would hold the
   * command until Redis is back), so a readiness probe answers without waiting.
   */
  async depth(): Promise<QueueDepth> {
    const redis = this.#connections[0];
    if (this.#closed || !redis || redis.status !== "ready") throw new Error(`Redis is not reachable (${redis?.status ?? "closed"})`);
    const [now, later] = await Promise.all([
      this.#queue.getJobCounts("waiting", "prioritized", "active", "delayed"),
      this.#later.getJobCounts("delayed", "waiting", "active"),
    ]);
    const n = (v: number | undefined) => v ?? 0;
    return {
      waiting: n(now["waiting"]) + n(now["prioritized"]) + n(later["waiting"]) + n(later["active"]),
      delayed: n(now["delayed"]) + n(later["delayed"]),
      running: n(now["active"]),
    };
  }

  /**
   * Resolves once nothing is waiting, running, being retried or waiting for a busy key, in any process
   * sharing the queue (jobs queued for later, like time-outs, are not waited for).
   */
  async drain(): Promise<void> {
    for (;;) {
      // One snapshot of every state a job passes through on its way (a retry or a busy key waits as "delayed").
      const counts = await this.#queue.getJobCounts("waiting", "active", "prioritized", "delayed", "waiting-children");
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * Stops taking jobs and waits for the running ones. A job that does not finish before the process
   * exits is taken over by another process once its claim runs out; it is never retried here.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.close()));
    await Promise.all([this.#queue.close(), this.#later.close()]);
    await Promise.all(this.#connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
