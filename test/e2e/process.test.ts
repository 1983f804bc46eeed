import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAutopackApi, type FakeAutopackApi } from "../support/fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../support/github-sim/index.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { deliverWebhook, postLarge } from "../support/webhooks.js";
import { checkInvariants } from "../support/world.js";
import { startApp as startAppProcess, until, simulatorEnv } from "../support/app-process.js";

let child: ChildProcess | undefined;

async function startApp(env: Record<string, string>) {
  const app = await startAppProcess(env);
  child = app.child;
  return app;
}
let sim: GitHubSim | undefined;
let llm: FakeLlm | undefined;
let api: FakeAutopackApi | undefined;

afterEach(async () => {
  child?.kill("SIGTERM");
  await Promise.all([sim?.close(), llm?.close(), api?.close()]);
});

describe("the app as a process, configured only through the environment", () => {
  it("serves webhooks on PORT, talks to GHE_HOST over http, and mirrors to AUTOPACK_API_URL with the key", async () => {
    sim = await startGitHubSim();
    llm = await startFakeLlm();
    api = await startFakeAutopackApi({ apiKey: "orchestrator-key" });
    llm.fallback(() => ({ status: 503, body: "busy" }));
    sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
    sim.setPermission(OWNER, REPO, "maintainer", "admin");
    const app = await startApp({
      ...simulatorEnv(sim),
      WEBHOOK_SECRET: "process-secret",
      OPENAI_API_KEY: "sk-test-not-a-real-key",
      OPENAI_BASE_URL: llm.baseURL,
      AUTOPACK_API_URL: api.url,
      AUTOPACK_API_KEY: "orchestrator-key",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    });
    const webhookUrl = `http://127.0.0.1:${app.port}/api/github/webhooks`;

    const issue = sim.addIssue(OWNER, REPO, {
      title: "Plan",
      body: yamlPlan({ T1: [["P1", "One"]] }),
      user: "maintainer",
      labels: ["autopack"],
    });
    const event = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    const answer = await deliverWebhook(webhookUrl, event.name, event.payload, "process-secret");
    expect(answer.status).toBe(200);

    const status = await until("the status comment", () =>
      sim!.comments(OWNER, REPO, issue).find((c) => c.body?.includes("Autopack run `gh-")),
    );
    expect(status.user?.login).toBe(sim.botLogin);
    const start = await until("the mirrored start", () => api!.calls.find((c) => c.path === "/runs/start"));
    expect(start.status).toBe(201);
    expect(start.apiKey).toBe("orchestrator-key");
    // The model server is busy: the Builder's attempts fail and the phase ends escalated, visibly.
    await until("the escalation", () => (sim!.labels(OWNER, REPO, issue).includes("autopack:needs-human") ? true : undefined), 30_000);
    // What every test must keep (see the world of the other end-to-end tests), for this process too.
    expect(checkInvariants({ sim, llm, api })).toEqual([]);
    expect(app.output()).not.toContain("sk-test-not-a-real-key");
    expect(app.output()).not.toContain("orchestrator-key");

    // A forged delivery is refused.
    const forged = await deliverWebhook(webhookUrl, event.name, event.payload, "wrong-secret");
    expect(forged.status).toBeGreaterThanOrEqual(400);
    // So is a body over GitHub's 25 MB, as it streams in (Probot's own server has the limit in front too).
    const oversized = await postLarge(webhookUrl, 26 * 1024 * 1024);
    expect(oversized.status).toBe(413);
  }, 90_000);
});
