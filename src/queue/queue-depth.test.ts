import { describe, expect, it } from "vitest";
import { InProcessQueue } from "./in-process-queue.js";

describe("the in-process queue's depth", () => {
  it("counts jobs waiting, running, and waiting for a retry or their delay", async () => {
    const release: (() => void)[] = [];
    let failOnce = true;
    let failed: () => void = () => undefined;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const queue = new InProcessQueue<string>({
      concurrency: 1,
      attempts: 2,
      minRetryDelayMs: 300,
      maxRetryDelayMs: 300,
      onError: () => failed(),
      handler: async (job) => {
        if (job === "flaky" && failOnce) {
          failOnce = false;
          throw new Error("once");
        }
        if (job === "slow") await new Promise<void>((resolve) => release.push(resolve));
      },
    });
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 0, running: 0 });
    await queue.enqueue({ id: "a", key: "k1", job: "slow" });
    await queue.enqueue({ id: "b", key: "k2", job: "quick" });
    await queue.enqueue({ id: "c", key: "k3", job: "later", delayMs: 60_000 });
    expect(await queue.depth()).toEqual({ waiting: 1, delayed: 1, running: 1 });
    await new Promise(setImmediate);
    release.shift()!();
    await queue.drain();
    await queue.enqueue({ id: "d", key: "k4", job: "flaky" });
    await firstFailure;
    // The flaky job failed once and waits for its retry: delayed, not running.
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 2, running: 0 });
    await queue.drain();
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 1, running: 0 });
    await queue.close();
    expect(await queue.depth()).toEqual({ waiting: 0, delayed: 0, running: 0 });
  });
});
