import { describe, expect, it } from "vitest";
import { AppMetrics } from "./metrics.js";

describe("an app's metrics", () => {
  it("live in the app's own registry: two apps in one process count apart", async () => {
    const one = new AppMetrics();
    const two = new AppMetrics();
    one.webhook("issues.labeled", "queued");
    one.webhook("issues.labeled", "queued");
    two.webhook("issues.labeled", "ignored");
    const first = await one.registry.metrics();
    const second = await two.registry.metrics();
    expect(first).toContain('autopack_webhooks_total{event="issues.labeled",outcome="queued"} 2');
    expect(first).not.toContain('outcome="ignored"');
    expect(second).toContain('autopack_webhooks_total{event="issues.labeled",outcome="ignored"} 1');
  });

  it("sum the mirror calls runs still owe, forgetting a run once it owes none", async () => {
    const metrics = new AppMetrics();
    metrics.supervisor.mirrorPending("run-a", 2);
    metrics.supervisor.mirrorPending("run-b", 1);
    expect(await metrics.registry.metrics()).toContain("autopack_mirror_calls_pending 3");
    metrics.supervisor.mirrorPending("run-a", 0);
    expect(await metrics.registry.metrics()).toContain("autopack_mirror_calls_pending 1");
  });

  it("read the queue's depth at each scrape, and still answer when the queue cannot be reached", async () => {
    const metrics = new AppMetrics();
    let reachable = true;
    metrics.watchQueue(async () => {
      if (!reachable) throw new Error("Redis is not reachable");
      return { waiting: 4, delayed: 1, running: 2 };
    });
    expect(await metrics.registry.metrics()).toContain('autopack_queue_depth{state="waiting"} 4');
    reachable = false;
    // The last figures stay; /readyz is where an unreachable queue shows.
    expect(await metrics.registry.metrics()).toContain('autopack_queue_depth{state="running"} 2');
  });

  it("count a job's attempts by how they ended", async () => {
    const metrics = new AppMetrics();
    const end = metrics.jobStarted("build");
    expect(await metrics.registry.metrics()).toContain('autopack_jobs_running{kind="build"} 1');
    end("threw");
    metrics.jobFailed("build", false);
    metrics.jobStarted("build")("completed");
    const text = await metrics.registry.metrics();
    expect(text).toContain('autopack_jobs_running{kind="build"} 0');
    expect(text).toContain('autopack_jobs_total{kind="build",state="retried"} 1');
    expect(text).toContain('autopack_jobs_total{kind="build",state="completed"} 1');
    expect(text).toContain('autopack_job_duration_seconds_count{kind="build"} 2');
  });
});
