import pino from "pino";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import { AppMetrics } from "../observability/metrics.js";
import type { AppQueue, Job } from "../supervisor/jobs.js";
import { meterWebhooks } from "./webhook-meter.js";

/** Every delivery reaches the handlers of its event once, and is counted once by its outcome. */

let sim: GitHubSim;
beforeAll(async () => {
  sim = await startGitHubSim();
});
afterAll(() => sim.close());

function metered() {
  const metrics = new AppMetrics();
  const probot = new Probot({
    appId: sim.appId,
    privateKey: sim.privateKey,
    secret: "s",
    baseUrl: sim.baseUrl,
    log: pino({ level: "silent" }),
  });
  const queue: AppQueue = {
    enqueue: async () => undefined,
    depth: async () => ({ waiting: 0, delayed: 0, running: 0 }),
    drain: async () => undefined,
    close: async () => undefined,
  };
  const counted = meterWebhooks(probot, queue, metrics);
  const seen: string[] = [];
  const reconcile: Job = { kind: "reconcile", target: { installationId: 1, owner: "acme", repo: "widgets", issue: 1 }, reason: "test" };
  counted.probot.on("issues.labeled", async (context) => {
    seen.push(`labeled ${context.id}`);
    await counted.queue.enqueue({ id: context.id, key: "k", job: reconcile });
  });
  counted.probot.on("issues", async (context) => void seen.push(`issues ${context.id}`));
  counted.probot.on(["status", "issue_comment.created"], async (context) => {
    seen.push(`${context.name} ${context.id}`);
    if (context.id === "boom") throw new Error("the handler broke");
  });
  const receive = (id: string, name: string, payload: Record<string, unknown>) =>
    probot.receive({ id, name, payload } as unknown as Parameters<Probot["receive"]>[0]);
  const count = async () =>
    (await metrics.registry.metrics())
      .split("\n")
      .filter((line) => line.startsWith("autopack_webhooks_total{"))
      .sort();
  return { receive, seen, count };
}

const base = { installation: { id: 1 }, repository: { name: "widgets", owner: { login: "acme" } }, sender: { login: "maintainer" } };

describe("the webhook meter", () => {
  it("hands each delivery to the handlers of its action and of its event, once each, and counts it by outcome", async () => {
    const { receive, seen, count } = metered();
    await receive("1", "issues", { ...base, action: "labeled" });
    await receive("2", "issues", { ...base, action: "opened" });
    await receive("3", "status", { ...base });
    await receive("4", "issue_comment", { ...base, action: "created" });
    expect(seen).toEqual(["labeled 1", "issues 1", "issues 2", "status 3", "issue_comment 4"]);
    expect(await count()).toEqual([
      'autopack_webhooks_total{event="issue_comment.created",outcome="ignored"} 1',
      'autopack_webhooks_total{event="issues.labeled",outcome="ignored"} 1',
      'autopack_webhooks_total{event="issues.labeled",outcome="queued"} 1',
      'autopack_webhooks_total{event="issues.opened",outcome="ignored"} 1',
      'autopack_webhooks_total{event="status",outcome="ignored"} 1',
    ]);
  });

  it("counts an event no handler listens to as ignored, by its name and action", async () => {
    const { receive, seen, count } = metered();
    await receive("1", "issue_comment", { ...base, action: "deleted" });
    await receive("2", "push", { ...base });
    expect(seen).toEqual([]);
    expect(await count()).toEqual([
      'autopack_webhooks_total{event="issue_comment.deleted",outcome="ignored"} 1',
      'autopack_webhooks_total{event="push",outcome="ignored"} 1',
    ]);
  });

  it("fails a delivery whose handler throws, with the handler's error, and counts it as failed", async () => {
    const { receive, count } = metered();
    await expect(receive("boom", "issue_comment", { ...base, action: "created" })).rejects.toThrow("the handler broke");
    expect(await count()).toEqual(['autopack_webhooks_total{event="issue_comment.created",outcome="failed"} 1']);
  });
});
