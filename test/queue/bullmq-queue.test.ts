import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BullQueue, redisConnection, type BullQueueOptions } from "../../src/queue/bullmq-queue.js";
import { startRedis, type TestRedis } from "../support/redis.js";

interface Job {
  n: number;
}

let redis: TestRedis;
const open: BullQueue<Job>[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(open.map((q) => q.close()));
  await redis.close();
});

/** A queue on the test Redis; queues made with the same `name` share their jobs like processes do. */
function queue(name: string, options: Omit<BullQueueOptions<Job>, "redisUrl" | "name"> = {}): BullQueue<Job> {
  const q = new BullQueue<Job>({ redisUrl: redis.url, name, minRetryDelayMs: 10, ...options });
  open.push(q);
  return q;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("BullQueue", () => {
  it("never runs two jobs of one key at once, even when two processes share the queue", async () => {
    const name = randomUUID();
    let running = 0;
    let peak = 0;
    const ran: number[] = [];
    const handler = async (job: Job) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(20);
      ran.push(job.n);
      running--;
    };
    const a = queue(name, { handler, concurrency: 4 });
    queue(name, { handler, concurrency: 4 });
    for (let n = 0; n < 6; n++) await a.enqueue({ id: `j${n}`, key: "issue:o/r#1", job: { n } });
    await a.drain();
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(1);
  });

  it("runs different keys at the same time", async () => {
    const name = randomUUID();
    let running = 0;
    let peak = 0;
    const q = queue(name, {
      concurrency: 4,
      handler: async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(50);
        running--;
      },
    });
    for (let n = 0; n < 4; n++) await q.enqueue({ id: `k${n}`, key: `issue:o/r#${n}`, job: { n } });
    await q.drain();
    expect(peak).toBeGreaterThan(1);
  });

  it("does not run an id twice, but queues again one that failed for good, and says it failed for good", async () => {
    const name = randomUUID();
    let runs = 0;
    const failures: { attempt: number; final: boolean }[] = [];
    let fail = true;
    const q = queue(name, {
      attempts: 2,
      handler: async () => {
        runs++;
        if (fail) throw new Error("GitHub is down");
      },
      onError: (_error, _job, attempt, final) => failures.push({ attempt, final }),
    });
    await q.enqueue({ id: "delivery-1", key: "k", job: { n: 1 } });
    await q.enqueue({ id: "delivery-1", key: "k", job: { n: 1 } });
    await q.drain();
    expect(runs).toBe(2);
    expect(failures).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: true },
    ]);
    fail = false;
    await q.enqueue({ id: "delivery-1", key: "k", job: { n: 1 } });
    await q.drain();
    expect(runs).toBe(3);
    await q.enqueue({ id: "delivery-1", key: "k", job: { n: 1 } });
    await q.drain();
    expect(runs).toBe(3);
  });

  it("runs a delayed job after its delay, and drain does not wait for it", async () => {
    const name = randomUUID();
    const ran: number[] = [];
    const q = queue(name, { handler: async () => void ran.push(Date.now()) });
    const queued = Date.now();
    await q.enqueue({ id: "timeout", key: "k", job: { n: 1 }, delayMs: 400 });
    await q.drain();
    expect(ran).toEqual([]);
    await sleep(1_500);
    expect(ran).toHaveLength(1);
    expect(ran[0]! - queued).toBeGreaterThanOrEqual(400);
  });

  it("hands the job of a process killed mid-job to another process, which runs it once", async () => {
    const name = randomUUID();
    const fixture = fileURLToPath(new URL("./fixtures/hanging-worker.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture, redis.url, name], { stdio: ["ignore", "pipe", "inherit"] });
    const started = new Promise<void>((resolve) => child.stdout!.on("data", () => resolve()));
    const producer = queue(name);
    await producer.enqueue({ id: "build:run/P1/1", key: "work:run/P1", job: { n: 7 } });
    await started;
    child.kill("SIGKILL");
    const ran: number[] = [];
    queue(name, { leaseMs: 1_000, handler: async (job) => void ran.push(job.n) });
    for (let i = 0; i < 100 && ran.length === 0; i++) await sleep(100);
    await producer.drain();
    expect(ran).toEqual([7]);
  }, 30_000);
});

describe("BullQueue when Redis goes away", () => {
  it("tells one of the processes when Redis came back empty, and none when only the connections dropped", async () => {
    const name = randomUUID();
    const told: string[] = [];
    for (const who of ["a", "b"]) queue(name, { handler: async () => undefined }).onLost(() => told.push(who));
    const web = queue(name);
    web.onLost(() => told.push("web"));
    await sleep(200);

    // Every client is cut off, but Redis keeps its data: nothing was lost.
    const admin = redisConnection(redis.url);
    await admin.call("CLIENT", "KILL", "TYPE", "normal");
    admin.disconnect();
    await sleep(1_500);
    expect(told).toEqual([]);

    await redis.restart();
    for (let i = 0; i < 100 && told.length === 0; i++) await sleep(50);
    await sleep(500);
    expect(told).toHaveLength(1);
    expect(["a", "b"]).toContain(told[0]);

    // The queue works on the new Redis.
    const ran: number[] = [];
    const after = queue(randomUUID(), { handler: async (job) => void ran.push(job.n) });
    await after.enqueue({ id: "x", key: "k", job: { n: 7 } });
    await after.drain();
    expect(ran).toEqual([7]);
  });
});
