import { describe, expect, it } from "vitest";
import { InProcessQueue } from "./in-process-queue.js";

/** The queue carries any payload; these tests queue a reason to log. */
interface Job {
  reason: string;
}
const job = (reason: string): Job => ({ reason });

describe("InProcessQueue", () => {
  it("runs jobs of one key one after another, in order", async () => {
    const log: string[] = [];
    const queue = new InProcessQueue<Job>({
      handler: async (j) => {
        const reason = j.reason;
        log.push(`start ${reason}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${reason}`);
      },
    });
    await queue.enqueue({ id: "a", key: "k", job: job("a") });
    await queue.enqueue({ id: "b", key: "k", job: job("b") });
    await queue.drain();
    expect(log).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("starts a job only after enqueue has returned: none of it runs while a webhook is being answered", async () => {
    const log: string[] = [];
    const queue = new InProcessQueue<Job>({
      handler: async (j) => {
        log.push(`started ${j.reason}`);
      },
    });
    await queue.enqueue({ id: "a", key: "k", job: job("a") });
    log.push("answered");
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 0, running: 1 });
    await queue.drain();
    expect(log).toEqual(["answered", "started a"]);
  });

  it("runs different keys concurrently", async () => {
    let running = 0;
    let peak = 0;
    const queue = new InProcessQueue<Job>({
      concurrency: 4,
      handler: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      },
    });
    for (const k of ["a", "b", "c"]) await queue.enqueue({ id: k, key: k, job: job(k) });
    await queue.drain();
    expect(peak).toBe(3);
  });

  it("drops a job whose id is queued, running or recently done (redelivered webhooks)", async () => {
    let runs = 0;
    const queue = new InProcessQueue<Job>({ handler: async () => void runs++ });
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.drain();
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.drain();
    expect(runs).toBe(1);
  });

  it("retries a failing job with backoff, then gives up and reports it", async () => {
    let calls = 0;
    const errors: [number, boolean][] = [];
    const queue = new InProcessQueue<Job>({
      attempts: 3,
      minRetryDelayMs: 1,
      maxRetryDelayMs: 2,
      handler: async () => {
        calls++;
        throw new Error("GitHub is down");
      },
      onError: (_e, _j, attempt, final) => errors.push([attempt, final]),
    });
    await queue.enqueue({ id: "x", key: "k", job: job("x") });
    await queue.drain();
    expect(calls).toBe(3);
    expect(errors).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it("lets a job that failed for good be queued again (a redelivery retries it)", async () => {
    let calls = 0;
    const queue = new InProcessQueue<Job>({
      attempts: 1,
      handler: async () => {
        calls++;
        if (calls === 1) throw new Error("GitHub is down");
      },
    });
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.drain();
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.drain();
    await queue.enqueue({ id: "delivery-1", key: "k", job: job("x") });
    await queue.drain();
    expect(calls).toBe(2);
  });

  it("keeps serving other jobs after one fails", async () => {
    const done: string[] = [];
    const queue = new InProcessQueue<Job>({
      attempts: 1,
      handler: async (j) => {
        const reason = j.reason;
        if (reason === "bad") throw new Error("boom");
        done.push(reason);
      },
    });
    await queue.enqueue({ id: "1", key: "k", job: job("bad") });
    await queue.enqueue({ id: "2", key: "k", job: job("good") });
    await queue.drain();
    expect(done).toEqual(["good"]);
  });
});

describe("InProcessQueue coalescing", () => {
  it("makes one of the jobs of a key and tag that wait while another runs; untagged and other tags are kept", async () => {
    const ran: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new InProcessQueue<Job>({
      handler: async (j) => {
        ran.push(j.reason);
        if (j.reason === "first") await gate;
      },
    });
    await queue.enqueue({ id: "1", key: "issue", job: job("first"), coalesce: "look" });
    await new Promise((r) => setTimeout(r, 5));
    // "first" runs; what comes now waits behind it.
    for (let i = 2; i <= 20; i++) await queue.enqueue({ id: String(i), key: "issue", job: job(`look ${i}`), coalesce: "look" });
    await queue.enqueue({ id: "event", key: "issue", job: job("event") });
    await queue.enqueue({ id: "other", key: "issue", job: job("other tag"), coalesce: "else" });
    await queue.enqueue({ id: "elsewhere", key: "issue 2", job: job("other key"), coalesce: "look" });
    release();
    await queue.drain();
    expect(ran.sort()).toEqual(["event", "first", "look 2", "other key", "other tag"].sort());
    // Once none waits, the tag queues again.
    await queue.enqueue({ id: "21", key: "issue", job: job("look 21"), coalesce: "look" });
    await queue.drain();
    expect(ran).toContain("look 21");
  });
});

describe("InProcessQueue delayed jobs", () => {
  it("runs a delayed job later, once, and drain does not wait for it", async () => {
    const ran: number[] = [];
    const queue = new InProcessQueue<Job>({ handler: async () => void ran.push(Date.now()) });
    const queuedAt = Date.now();
    await queue.enqueue({ id: "later", key: "k", job: job("timeout"), delayMs: 40 });
    await queue.enqueue({ id: "later", key: "k", job: job("timeout"), delayMs: 40 });
    await queue.drain();
    expect(ran).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    await queue.drain();
    expect(ran).toHaveLength(1);
    expect(ran[0]! - queuedAt).toBeGreaterThanOrEqual(35);
  });

  it("retries nothing once it is closing: a job that fails then is reported as failed for good", async () => {
    let runs = 0;
    const reports: boolean[] = [];
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const queue = new InProcessQueue<Job>({
      attempts: 5,
      minRetryDelayMs: 1,
      maxRetryDelayMs: 2,
      handler: async () => {
        runs++;
        started();
        await new Promise((r) => setTimeout(r, 30));
        throw new Error("the installation token expired");
      },
      onError: (_error, _job, _attempt, final) => reports.push(final),
    });
    await queue.enqueue({ id: "a", key: "k", job: job("a") });
    await running;
    await queue.close();
    expect(runs).toBe(1);
    expect(reports).toEqual([true]);
  });

  it("drops delayed jobs on close", async () => {
    let runs = 0;
    const queue = new InProcessQueue<Job>({ handler: async () => void runs++ });
    await queue.enqueue({ id: "later", key: "k", job: job("timeout"), delayMs: 20 });
    await queue.close();
    await new Promise((r) => setTimeout(r, 40));
    expect(runs).toBe(0);
  });
});
