import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, until, type AppProcess } from "../support/app-process.js";
import { startFakeAutopackApi, type FakeAutopackApi } from "../support/fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../support/github-sim/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents, type AuditScript, type BuildScript } from "../support/scripted-agents.js";
import { deliverWebhook } from "../support/webhooks.js";
import { checkInvariants } from "../support/world.js";

const SECRET = "scale-out-secret";
const RUNS = 6;

let redis: TestRedis;
let sim: GitHubSim;
let llm: FakeLlm;
let api: FakeAutopackApi;
const apps: AppProcess[] = [];

beforeAll(async () => {
  [redis, sim, llm, api] = await Promise.all([startRedis(), startGitHubSim(), startFakeLlm(), startFakeAutopackApi()]);
});
afterAll(async () => {
  for (const app of apps) app.child.kill("SIGKILL");
  await Promise.all([sim.close(), llm.close(), api.close(), redis.close()]);
});

function environment(role: "web" | "worker"): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "",
    APP_ID: String(sim.appId),
    PRIVATE_KEY: sim.privateKey,
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: sim.host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    OPENAI_API_KEY: "sk-test-not-a-real-key",
    OPENAI_BASE_URL: llm.baseURL,
    AUTOPACK_API_URL: api.url,
    REDIS_URL: redis.url,
    AUTOPACK_ROLE: role,
    // The web process says the port it listens on in an info line.
    LOG_LEVEL: role === "web" ? "info" : "warn",
  };
}

describe("one web process and three workers on Redis", () => {
  it("run every run once: one status comment, one PR and one review per phase, each outcome mirrored once, though every webhook came three times and a worker was killed", async () => {
    sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
    sim.setPermission(OWNER, REPO, "maintainer", "maintain");
    const builds: Record<string, BuildScript[]> = {};
    const audits: Record<string, AuditScript[]> = {};
    for (let n = 1; n <= RUNS; n++) {
      builds[`P${n}`] = [
        { summary: `Add file ${n}`, edits: [{ path: `src/f${n}.ts`, action: "create", content: `export const f${n} = ${n};\n` }] },
      ];
      audits[`P${n}`] = [{ recommendation: "approve" }];
    }
    // Slow models keep builds in flight long enough for a worker to die holding one.
    const setFallback = llm.fallback.bind(llm);
    llm.fallback = (handler) => setFallback((req) => ({ delayMs: 300, then: handler(req) }));
    scriptAgents(llm, { builds, audits });

    const web = await startApp(environment("web"));
    apps.push(web);
    for (let w = 0; w < 3; w++) apps.push(await startApp(environment("worker")));
    const webhookUrl = `http://127.0.0.1:${web.port}/api/github/webhooks`;

    const issues: number[] = [];
    for (let n = 1; n <= RUNS; n++) {
      const issue = sim.addIssue(OWNER, REPO, {
        title: `Plan ${n}`,
        body: yamlPlan({ T1: [[`P${n}`, `Phase ${n}`]] }),
        user: "maintainer",
        labels: ["autopack"],
      });
      issues.push(issue);
      const event = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
      // GitHub redelivers with the same delivery id: three at once, and once more later.
      const id = `delivery-${n}`;
      const answers = await Promise.all([1, 2, 3].map(() => deliverWebhook(webhookUrl, event.name, event.payload, SECRET, id)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    }
    // A worker dies (kill -9) while builds are in flight; its jobs are taken over by the others.
    await until("a build in flight", () => (llm.requests.length > 0 ? true : undefined), 60_000);
    apps[1]!.child.kill("SIGKILL");

    const status = (issue: number) => sim.comments(OWNER, REPO, issue).filter((c) => c.body?.includes("Autopack run `gh-"));
    await until(
      "every run approved",
      () => (issues.every((i) => status(i)[0]?.body?.includes("approved, waiting for merge")) ? true : undefined),
      120_000,
    );
    // Late redeliveries change nothing.
    for (const [k, issue] of issues.entries()) {
      const event = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
      await deliverWebhook(webhookUrl, event.name, event.payload, SECRET, `delivery-${k + 1}`);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    for (const issue of issues) expect(status(issue)).toHaveLength(1);
    const pulls = sim.pulls(OWNER, REPO);
    expect(pulls).toHaveLength(RUNS);
    for (const pull of pulls) expect(sim.reviews(OWNER, REPO, pull.number)).toHaveLength(1);
    expect(api.calls.filter((c) => c.path === "/runs/start" && c.status === 201)).toHaveLength(RUNS);
    expect(checkInvariants({ sim, llm, api })).toEqual([]);
  }, 240_000);
});
