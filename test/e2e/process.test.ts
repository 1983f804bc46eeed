import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAutopackApi, type FakeAutopackApi } from "../support/fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../support/github-sim/index.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { deliverWebhook } from "../support/webhooks.js";

const root = resolve(import.meta.dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let child: ChildProcess | undefined;
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
    const port = await freePort();
    let output = "";
    child = spawn(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "main.ts")], {
      cwd: root,
      env: {
        PATH: process.env["PATH"] ?? "",
        APP_ID: String(sim.appId),
        PRIVATE_KEY: sim.privateKey,
        WEBHOOK_SECRET: "process-secret",
        GHE_HOST: sim.host,
        GHE_PROTOCOL: "http",
        HOST: "127.0.0.1",
        PORT: String(port),
        OPENAI_API_KEY: "sk-test-not-a-real-key",
        OPENAI_BASE_URL: llm.baseURL,
        AUTOPACK_API_URL: api.url,
        AUTOPACK_API_KEY: "orchestrator-key",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await until("the server to listen", () => (/Listening on|listening/i.test(output) ? true : undefined), 30_000);

    const issue = sim.addIssue(OWNER, REPO, {
      title: "Plan",
      body: yamlPlan({ T1: [["P1", "One"]] }),
      user: "maintainer",
      labels: ["autopack"],
    });
    const event = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    const answer = await deliverWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, event.name, event.payload, "process-secret");
    expect(answer.status).toBe(200);

    const status = await until("the status comment", () =>
      sim!.comments(OWNER, REPO, issue).find((c) => c.body?.includes("Autopack run `gh-")),
    );
    expect(status.user?.login).toBe(sim.botLogin);
    const start = await until("the mirrored start", () => api!.calls.find((c) => c.path === "/runs/start"));
    expect(start.status).toBe(201);
    expect(start.apiKey).toBe("orchestrator-key");
    expect(api.invalidBodies).toEqual([]);
    // The model server is busy: the Builder's attempts fail and the phase ends escalated, visibly.
    await until("the escalation", () => (sim!.labels(OWNER, REPO, issue).includes("autopack:needs-human") ? true : undefined), 30_000);
    sim.assertClean();
    expect(output).not.toContain("sk-test-not-a-real-key");
    expect(output).not.toContain("orchestrator-key");

    // A forged delivery is refused.
    const forged = await deliverWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, event.name, event.payload, "wrong-secret");
    expect(forged.status).toBeGreaterThanOrEqual(400);
  }, 90_000);
});
