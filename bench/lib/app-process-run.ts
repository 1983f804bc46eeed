import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { simulatorEnv, until } from "../../test/support/app-process.js";
import { startFakeLlm, type FakeLlm } from "../../test/support/fake-llm.js";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import { OWNER, REPO, yamlPlan } from "../../test/support/scenario.js";
import { scriptAgents } from "../../test/support/scripted-agents.js";
import { deliverWebhook } from "../../test/support/webhooks.js";

const root = resolve(import.meta.dirname, "..", "..");
const SECRET = "bench-secret";

/** The app as its own process (`dist/main.js`, as `npm start` runs it, configured by its environment), with the simulators in this one. */
export interface AppUnderTest {
  sim: GitHubSim;
  llm: FakeLlm;
  pid: number;
  webhookUrl: string;
  /** Labels an issue holding a plan of `phases` phases (one per tier); its number. */
  label(phases: number, prefix?: string): Promise<number>;
  /** Waits until the phase's PR carries a finished `Autopack audit` check run. */
  audited(issue: number, phase: string, timeoutMs?: number): Promise<void>;
  /** Merges the phase's PR as a person and delivers the webhook. */
  merge(issue: number, phase: string): Promise<void>;
  close(): Promise<void>;
}

/** The newest modification time of the TypeScript files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) t = Math.max(t, newest(path));
    else if (entry.name.endsWith(".ts")) t = Math.max(t, statSync(path).mtimeMs);
  }
  return t;
}

/** `dist/main.js` as `npm run build` makes it, built again when a source file is newer. */
export function builtApp(): string {
  const main = join(root, "dist", "main.js");
  if (!existsSync(main) || statSync(main).mtimeMs < newest(join(root, "src"))) {
    execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: "inherit",
    });
  }
  return main;
}

/** CPU time (user + system) of a process so far, in ms, from `/proc` (Linux). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

/** A process's resident memory now and at its peak, in MiB, from `/proc` (Linux). */
export function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/**
 * Flags for the app's Node from BENCH_APP_NODE_FLAGS (space-separated), e.g. `--cpu-prof --cpu-prof-dir=DIR`
 * to profile the app over a row (Node takes `--cpu-prof` on its command line only, not in NODE_OPTIONS).
 */
function nodeFlags(): string[] {
  return (process.env["BENCH_APP_NODE_FLAGS"] ?? "").split(" ").filter(Boolean);
}

async function spawnApp(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  for (let tries = 0; tries < 5; tries++) {
    const offered = 20_000 + Math.floor(Math.random() * 9_000);
    const child = spawn(process.execPath, [...nodeFlags(), builtApp()], {
      cwd: root,
      env: { ...env, PORT: String(offered) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let exited = false;
    // Only the start is looked at; the log is read and dropped after that.
    const read = (d: Buffer) => {
      if (output.length < 100_000) output += d.toString();
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", () => (exited = true));
    const port = await until(
      "the app to listen",
      () => (/Listening on http:\/\/[^\s"/]+:(\d+)/.test(output) ? offered : exited ? 0 : undefined),
      60_000,
    ).catch((error: unknown) => {
      child.kill("SIGTERM"); // an app that never listened is not left running
      throw error;
    });
    if (port > 0) return { child, port };
  }
  throw new Error("the app did not start");
}

/** Starts the simulators and the app; every phase of every plan is built once and approved. */
export async function startAppUnderTest(phaseIds: string[]): Promise<AppUnderTest> {
  const sim = await startGitHubSim();
  const llm = await startFakeLlm();
  sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
  sim.setPermission(OWNER, REPO, "maintainer", "maintain");
  scriptAgents(llm, {
    builds: Object.fromEntries(
      phaseIds.map((id) => [
        id,
        [{ summary: `Add ${id}`, edits: [{ path: `src/${id}.txt`, action: "create" as const, content: `${id}\n` }] }],
      ]),
    ),
    audits: Object.fromEntries(phaseIds.map((id) => [id, [{ recommendation: "approve" as const }]])),
  });
  const { child, port } = await spawnApp({
    ...simulatorEnv(sim),
    WEBHOOK_SECRET: SECRET,
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: llm.baseURL,
    AUTOPACK_BUILDER_MODEL: "builder-model",
    AUTOPACK_AUDITOR_MODEL: "auditor-model",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  });
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  const prOf = (issue: number, phase: string) => sim.pulls(OWNER, REPO).find((p) => p.head.ref === `autopack/${issue}/${phase}`);
  return {
    sim,
    llm,
    pid: child.pid!,
    webhookUrl,
    async label(phases, prefix = "P") {
      const ids = Array.from({ length: phases }, (_, i) => `${prefix}${i + 1}`);
      const body = yamlPlan(Object.fromEntries(ids.map((id, i) => [`T${i + 1}`, [[id, `Phase ${id}`]]])));
      const issue = sim.addIssue(OWNER, REPO, { title: "Plan", body, user: "maintainer", labels: ["autopack"] });
      const event = sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
      await deliverWebhook(webhookUrl, event.name, event.payload, SECRET);
      return issue;
    },
    async audited(issue, phase, timeoutMs = 120_000) {
      await until(
        `the audit of ${phase} on #${issue}`,
        () => {
          const pr = prOf(issue, phase);
          const done = pr && sim.checkRuns(OWNER, REPO, pr.head.sha).some((c) => c.name === "Autopack audit" && c.status === "completed");
          return done ? true : undefined;
        },
        timeoutMs,
      );
    },
    async merge(issue, phase) {
      const pr = prOf(issue, phase)!;
      sim.mergePull(OWNER, REPO, pr.number, "maintainer", "squash");
      const event = sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: pr.number, sender: "maintainer" });
      await deliverWebhook(webhookUrl, event.name, event.payload, SECRET);
    },
    async close() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await Promise.all([sim.close(), llm.close()]);
    },
  };
}

/** Waits until the issue carries `label`. */
export function labelled(app: AppUnderTest, issue: number, label: string, timeoutMs = 120_000): Promise<true> {
  return until(`${label} on #${issue}`, () => (app.sim.labels(OWNER, REPO, issue).includes(label) ? true : undefined), timeoutMs);
}
