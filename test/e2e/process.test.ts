import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeAutopackApi, type FakeAutopackApi } from "../support/fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../support/github-sim/index.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { deliverWebhook, postLarge } from "../support/webhooks.js";
import { checkInvariants } from "../support/world.js";

const root = resolve(import.meta.dirname, "..", "..");

/**
 * Probot reads PORT=0 as 3000, so the app cannot be asked for "any free port" as every other test
 * server is. Picking a free port and letting the app bind it later would race other test files'
 * servers (one could be given that port meanwhile and receive our webhooks). So the app is offered
 * ports below the range the OS hands out for port 0, which no test server can be given, and
 * webhooks go only to the port its own "Listening on" line names; when a port is taken by someone
 * outside the tests, the app exits and another port is tried.
 */
function portsOutsideEphemeralRange(): number[] {
  const range = "/proc/sys/net/ipv4/ip_local_port_range";
  const low = existsSync(range) ? Number(readFileSync(range, "utf8").trim().split(/\s+/)[0]) : 49_152;
  const top = Number.isInteger(low) && low > 11_024 ? low - 1 : 29_999;
  return Array.from({ length: 5 }, () => top - Math.floor(Math.random() * 10_000));
}

interface AppProcess {
  /** The port the app says it listens on. */
  port: number;
  output(): string;
}

async function startApp(env: Record<string, string>): Promise<AppProcess> {
  let output = "";
  for (const offered of portsOutsideEphemeralRange()) {
    const started = spawn(join(root, "node_modules", ".bin", "tsx"), [join(root, "src", "main.ts")], {
      cwd: root,
      env: { ...env, PORT: String(offered) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    output = "";
    started.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    started.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    let exited = false;
    started.once("exit", () => (exited = true));
    const port = await until(
      "the server to listen",
      () => {
        const listening = /Listening on http:\/\/[^\s"/]+:(\d+)/.exec(output);
        if (listening) return Number(listening[1]);
        return exited ? 0 : undefined;
      },
      30_000,
    );
    if (port > 0) return { port, output: () => output };
  }
  throw new Error(`the app did not start:\n${output}`);
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
    const app = await startApp({
      PATH: process.env["PATH"] ?? "",
      APP_ID: String(sim.appId),
      PRIVATE_KEY: sim.privateKey,
      WEBHOOK_SECRET: "process-secret",
      GHE_HOST: sim.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
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
