import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, until, type AppProcess, simulatorEnv } from "../support/app-process.js";
import { startFakeAutopackApi, type FakeAutopackApi } from "../support/fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../support/github-sim/index.js";
import { startRedis, type TestRedis } from "../support/redis.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";
import { deliverWebhook } from "../support/webhooks.js";
import { checkInvariants } from "../support/world.js";

/** Recognisable values, looked for in every line the app writes. */
const SECRETS = {
  WEBHOOK_SECRET: "whsec-OPS-TEST-3f9c1d27",
  OPENAI_API_KEY: "sk-OPS-TEST-openai-7a1b44",
  AUTOPACK_API_KEY: "apk-OPS-TEST-orchestrator-55e2",
  CURSOR_API_KEY: "cur-OPS-TEST-cursor-90dd13",
  AUTOPACK_STATE_SECRET: "state-OPS-TEST-b81f0c",
};

/** One sample of a Prometheus text exposition, by name and labels (every label given must match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** The sum of every sample of a metric. */
function total(text: string, name: string): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

async function get(port: number, path: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

/** The app's log lines that are JSON (pino's), parsed. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("operations: /metrics, /healthz, /readyz and the logs of a whole run", () => {
  let sim: GitHubSim;
  let llm: FakeLlm;
  let api: FakeAutopackApi;
  let app: AppProcess;
  let issue: number;

  beforeAll(async () => {
    [sim, llm, api] = await Promise.all([startGitHubSim(), startFakeLlm(), startFakeAutopackApi({ apiKey: SECRETS.AUTOPACK_API_KEY })]);
    sim.addRepo({
      owner: OWNER,
      name: REPO,
      files: {
        "README.md": "# widgets\n",
        ".github/autopack.yml": "prices:\n  builder-model: { input_per_million: 2, output_per_million: 8 }\n",
      },
    });
    sim.setPermission(OWNER, REPO, "maintainer", "maintain");
    scriptAgents(llm, {
      builds: { P1: [{ summary: "Add a file", edits: [{ path: "src/one.ts", action: "create", content: "export const one = 1;\n" }] }] },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    app = await startApp({
      ...simulatorEnv(sim),
      OPENAI_BASE_URL: llm.baseURL,
      AUTOPACK_API_URL: api.url,
      AUTOPACK_BUILDER_MODEL: "builder-model",
      AUTOPACK_AUDITOR_MODEL: "auditor-model",
      // Every level: no secret may reach even a trace line.
      LOG_LEVEL: "trace",
      LOG_FORMAT: "json",
      ...SECRETS,
    });
    const url = `http://127.0.0.1:${app.port}/api/github/webhooks`;
    issue = sim.addIssue(OWNER, REPO, { title: "Plan", body: yamlPlan({ T1: [["P1", "One"]] }), user: "maintainer", labels: ["autopack"] });
    const labeled = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    expect((await deliverWebhook(url, labeled.name, labeled.payload, SECRETS.WEBHOOK_SECRET, "delivery-ops-1")).status).toBe(200);
    await until(
      "the phase approved",
      () => (sim.comments(OWNER, REPO, issue).some((c) => c.body?.includes("approved, waiting for merge")) ? true : undefined),
      90_000,
    );
    // An event no handler listens to is counted as ignored.
    const opened = {
      action: "opened",
      issue: { number: issue },
      repository: labeled.payload.repository,
      sender: labeled.payload.sender,
      installation: labeled.payload.installation,
    };
    expect((await deliverWebhook(url, "issues", opened, SECRETS.WEBHOOK_SECRET, "delivery-ops-2")).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    app?.child.kill("SIGTERM");
    await Promise.all([sim?.close(), llm?.close(), api?.close()]);
  });

  it("serves Prometheus metrics whose counters moved with the run", async () => {
    const scrape = await get(app.port, "/metrics");
    expect(scrape.status).toBe(200);
    expect(scrape.type).toContain("text/plain");
    const m = scrape.text;
    expect(sample(m, "autopack_webhooks_total", { event: "issues.labeled", outcome: "queued" })).toBe(1);
    expect(sample(m, "autopack_webhooks_total", { event: "issues.opened", outcome: "ignored" })).toBe(1);
    expect(sample(m, "autopack_jobs_total", { kind: "intent", state: "completed" })).toBe(1);
    expect(sample(m, "autopack_jobs_total", { kind: "build", state: "completed" })).toBe(1);
    expect(sample(m, "autopack_jobs_total", { kind: "audit", state: "completed" })).toBe(1);
    expect(sample(m, "autopack_job_duration_seconds_count", { kind: "build" })).toBe(1);
    expect(sample(m, "autopack_builds_total", { outcome: "success" })).toBe(1);
    expect(sample(m, "autopack_audits_total", { outcome: "approve" })).toBe(1);
    expect(sample(m, "autopack_phase_work_duration_seconds_count", { kind: "audit", outcome: "approve" })).toBe(1);
    expect(sample(m, "autopack_llm_tokens_total", { role: "builder", model: "builder-model", direction: "prompt" })).toBeGreaterThan(0);
    expect(sample(m, "autopack_llm_tokens_total", { role: "auditor", model: "auditor-model", direction: "completion" })).toBeGreaterThan(0);
    // The repository prices the Builder's model only.
    expect(sample(m, "autopack_llm_cost_usd_total", { role: "builder", model: "builder-model" })).toBeGreaterThan(0);
    expect(sample(m, "autopack_llm_cost_usd_total", { role: "auditor", model: "auditor-model" })).toBeUndefined();
    expect(total(m, "autopack_github_requests_total")).toBeGreaterThan(10);
    expect(sample(m, "autopack_github_requests_total", { verb: "createCommentReview" })).toBe(1);
    const remaining = sample(m, "autopack_github_rate_limit_remaining", { resource: "core" });
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(5000);
    expect(sample(m, "autopack_mirror_calls_total", { op: "start", outcome: "sent" })).toBe(1);
    expect(sample(m, "autopack_mirror_calls_total", { op: "auditor_result", outcome: "sent" })).toBe(1);
    expect(sample(m, "autopack_mirror_calls_pending")).toBe(0);
    expect(sample(m, "autopack_queue_depth", { state: "waiting" })).toBe(0);
    // Node's own figures come along (memory, event loop, CPU).
    expect(sample(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("answers /healthz and /readyz", async () => {
    expect(await get(app.port, "/healthz")).toMatchObject({ status: 200, text: "ok\n" });
    expect(await get(app.port, "/readyz")).toMatchObject({ status: 200, text: "ready\n" });
  });

  it("logs every line of a job with its delivery, repository, issue, run and phase, and no secret at any level", () => {
    const output = app.output();
    for (const [name, value] of Object.entries(SECRETS)) expect(output, `${name} in the log`).not.toContain(value);
    // Nor any line of the private key's body.
    for (const keyLine of sim.privateKey.split("\n").filter((l) => l.length > 40)) expect(output).not.toContain(keyLine);

    const lines = logLines(output);
    const ofJobs = lines.filter((l) => typeof l["job"] === "string");
    // The run's jobs that log: the label's intent, the outcomes of the build and the audit, reconciles.
    expect([...new Set(ofJobs.map((l) => l["kind"]))].sort()).toEqual(expect.arrayContaining(["event", "intent", "reconcile"]));
    for (const line of ofJobs) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(["deliveryId", "repo", "issue", "runId", "phase"]));
      expect(line["repo"]).toBe(`${OWNER}/${REPO}`);
      expect(line["issue"]).toBe(issue);
    }
    const started = ofJobs.find((l) => l["msg"] === "run started")!;
    expect(started).toMatchObject({ deliveryId: "delivery-ops-1", kind: "intent", runId: expect.stringMatching(/^gh-/) });
    // (A job's first requests load its run: only the lines after that know the run.)
    const outcomes = ofJobs.filter((l) => l["kind"] === "event" && !String(l["msg"]).startsWith("GitHub request: "));
    expect(outcomes.length).toBeGreaterThan(0);
    for (const line of outcomes) expect(line).toMatchObject({ runId: started["runId"], phase: "P1", deliveryId: null });
    // GitHub's request lines (Octokit's, at debug) of a job carry its fields too: every one after the
    // startup sweep, which runs outside any job, is a job's.
    const swept = lines.findIndex((l) => l["msg"] === "startup sweep done");
    expect(swept).toBeGreaterThanOrEqual(0);
    const requests = lines.slice(swept).filter((l) => String(l["msg"]).startsWith("GitHub request: "));
    expect(requests.length).toBeGreaterThan(10);
    for (const line of requests)
      expect(line, String(line["msg"])).toMatchObject({ repo: `${OWNER}/${REPO}`, issue, job: expect.any(String) });
    expect(requests.filter((l) => l["kind"] === "build").every((l) => l["phase"] === "P1" && l["runId"] === started["runId"])).toBe(true);
    // Every other line is the process's own: Probot's (requests in, the sweep's requests) and the startup sweep.
    const own = /^(Running Probot |Listening on |GitHub request: |\w+ event received |(GET|POST) \/\S* \d{3} - |startup sweep done$)/;
    const stray = lines.filter((l) => typeof l["job"] !== "string" && !own.test(String(l["msg"])));
    expect(stray.map((l) => l["msg"])).toEqual([]);
    expect(checkInvariants({ sim, llm, api })).toEqual([]);
  });
});

describe("a worker's readiness follows Redis", () => {
  let redis: TestRedis | undefined;
  let sim: GitHubSim | undefined;
  let worker: AppProcess | undefined;
  afterAll(async () => {
    worker?.child.kill("SIGKILL");
    await Promise.all([sim?.close(), redis?.close()]);
  });

  it("serves /healthz, /readyz and /metrics; /readyz answers 503 once Redis is gone, while /healthz stays 200", async () => {
    [redis, sim] = await Promise.all([startRedis(), startGitHubSim()]);
    worker = await startApp({
      ...simulatorEnv(sim),
      WEBHOOK_SECRET: "worker-secret",
      REDIS_URL: redis.url,
      AUTOPACK_ROLE: "worker",
      LOG_LEVEL: "warn",
    });
    // The worker says it listens before its Redis connections are up: it becomes ready soon after.
    let ready = await get(worker.port, "/readyz");
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await get(worker.port, "/readyz");
    }
    expect(ready).toMatchObject({ status: 200, text: "ready\n" });
    const metrics = await get(worker.port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(sample(metrics.text, "autopack_queue_depth", { state: "waiting" })).toBe(0);

    await redis.close();
    redis = undefined;
    const down = await get(worker.port, "/readyz");
    expect(down.status).toBe(503);
    expect(down.text).toMatch(/^not ready: /);
    expect((await get(worker.port, "/healthz")).status).toBe(200);
    expect((await get(worker.port, "/metrics")).status).toBe(200);
  }, 120_000);
});
