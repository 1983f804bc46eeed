import { startApp, type AppProcess, simulatorEnv } from "./app-process.js";
import { startFakeAutopackApi, type FakeAutopackApi } from "./fake-autopack-api/index.js";
import { startFakeLlm, type FakeLlm } from "./fake-llm.js";
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from "./github-sim/index.js";
import { startRedis, type TestRedis } from "./redis.js";
import { yamlPlan } from "./scenario.js";
import { scriptAgents, type AuditScript, type BuildScript } from "./scripted-agents.js";
import { deliverWebhook } from "./webhooks.js";

/**
 * Several app processes on one Redis against the simulators: a web process and workers, runs spread
 * over repositories of several accounts (one installation each), and what a test asserts at the end.
 */
export interface Fleet {
  redis: TestRedis;
  sim: GitHubSim;
  llm: FakeLlm;
  api: FakeAutopackApi;
  apps: AppProcess[];
  /** The environment of a process of this role; `over` replaces single variables (another GHE_HOST…). */
  environment(role: "web" | "worker", over?: Record<string, string>): Record<string, string>;
  start(role: "web" | "worker", over?: Record<string, string>): Promise<AppProcess>;
  /** Runs `SIGKILL`s a process and waits until it is gone. */
  kill(app: AppProcess): Promise<void>;
  close(): Promise<void>;
}

export const FLEET_SECRET = "scale-out-secret";

export async function startFleet(options: GitHubSimOptions = {}): Promise<Fleet> {
  const [redis, sim, llm, api] = await Promise.all([startRedis(), startGitHubSim(options), startFakeLlm(), startFakeAutopackApi()]);
  const apps: AppProcess[] = [];
  const fleet: Fleet = {
    redis,
    sim,
    llm,
    api,
    apps,
    environment: (role, over = {}) => ({
      ...simulatorEnv(sim),
      WEBHOOK_SECRET: FLEET_SECRET,
      OPENAI_API_KEY: "sk-test-not-a-real-key",
      OPENAI_BASE_URL: llm.baseURL,
      AUTOPACK_API_URL: api.url,
      REDIS_URL: redis.url,
      AUTOPACK_ROLE: role,
      // A killed worker's jobs are taken over after one to two leases: short ones keep the tests short.
      AUTOPACK_JOB_LEASE_MS: "5000",
      // The web process says the port it listens on in an info line.
      LOG_LEVEL: role === "web" ? "info" : "warn",
      ...over,
    }),
    async start(role, over) {
      const app = await startApp(fleet.environment(role, over));
      apps.push(app);
      return app;
    },
    async kill(app) {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        app.child.once("exit", () => resolve());
        app.child.kill("SIGKILL");
      });
    },
    async close() {
      await Promise.all(apps.map((app) => fleet.kill(app)));
      await Promise.all([sim.close(), llm.close(), api.close(), redis.close()]);
    },
  };
  return fleet;
}

/** One run of the workload: a one-phase plan in an issue of `owner/repo`. */
export interface FleetRun {
  owner: string;
  repo: string;
  phase: string;
  issue: number;
  delivery: string;
}

/**
 * `runs` one-phase runs spread round-robin over `repos` (each account with repositories is an
 * installation), each phase building one file and approved by the audit. Scripts are repeated so that
 * a model call asked again after a crash gets the same answer; `modelDelayMs` makes the model slow.
 */
export function workload(
  fleet: Fleet,
  repos: { owner: string; repo: string }[],
  runs: number,
  options: { modelDelayMs?: number } = {},
): FleetRun[] {
  const { sim } = fleet;
  const builds: Record<string, BuildScript[]> = {};
  const audits: Record<string, AuditScript[]> = {};
  const out: FleetRun[] = [];
  for (let n = 1; n <= runs; n++) {
    const { owner, repo } = repos[(n - 1) % repos.length]!;
    const phase = `P${n}`;
    const build: BuildScript = {
      summary: `Add file ${n}`,
      edits: [{ path: `src/f${n}.ts`, action: "create", content: `export const f${n} = ${n};\n` }],
    };
    builds[phase] = Array.from({ length: 6 }, () => build);
    audits[phase] = Array.from({ length: 6 }, (): AuditScript => ({ recommendation: "approve" }));
    const issue = sim.addIssue(owner, repo, {
      title: `Plan ${n}`,
      body: yamlPlan({ T1: [[phase, `Phase ${n}`]] }),
      user: "maintainer",
      labels: ["autopack"],
    });
    out.push({ owner, repo, phase, issue, delivery: `delivery-${n}` });
  }
  const llm = fleet.llm;
  const delay = options.modelDelayMs ?? 0;
  scriptAgents(delay > 0 ? { ...llm, fallback: (handler) => llm.fallback((req) => ({ delayMs: delay, then: handler(req) })) } : llm, {
    builds,
    audits,
  });
  return out;
}

/** Adds the repositories (each with a maintainer) of the workload. */
export function addRepos(fleet: Fleet, repos: { owner: string; repo: string }[]): void {
  for (const { owner, repo } of repos) {
    fleet.sim.addRepo({ owner, name: repo, files: { "README.md": `# ${repo}\n` } });
    fleet.sim.setPermission(owner, repo, "maintainer", "maintain");
  }
}

/** Delivers a run's `labeled` webhook `times` times at once, with the same delivery id (as GitHub redelivers). */
export async function deliverLabel(fleet: Fleet, webhookUrl: string, run: FleetRun, times = 1): Promise<number[]> {
  const event = fleet.sim.events.issueLabeled({
    owner: run.owner,
    repo: run.repo,
    issue: run.issue,
    label: "autopack",
    sender: "maintainer",
  });
  const answers = await Promise.all(
    Array.from({ length: times }, () => deliverWebhook(webhookUrl, event.name, event.payload, FLEET_SECRET, run.delivery)),
  );
  return answers.map((a) => a.status);
}

/** The app's status comments on a run's issue. */
export function statusComments(fleet: Fleet, run: FleetRun) {
  return fleet.sim.comments(run.owner, run.repo, run.issue).filter((c) => c.body?.includes("Autopack run `gh-"));
}

export function approved(fleet: Fleet, run: FleetRun): boolean {
  return statusComments(fleet, run)[0]?.body?.includes("approved, waiting for merge") ?? false;
}

/**
 * For a test that timed out: each run not yet approved with the last lines of its status comment, and
 * the last lines each process printed.
 */
export function explainRuns(fleet: Fleet, runs: FleetRun[]): string {
  const tail = (text: string, lines: number) => text.trim().split("\n").slice(-lines).join("\n");
  const pending = runs
    .filter((run) => !approved(fleet, run))
    .map((run) => {
      const body = statusComments(fleet, run)[0]?.body;
      return `${run.owner}/${run.repo}#${run.issue} (${run.phase}): ${body === undefined ? "no status comment" : tail(body.replace(/<!--[\s\S]*?-->/g, ""), 12)}`;
    });
  const outputs = fleet.apps.map(
    (app, n) => `process ${n} (${app.child.exitCode ?? app.child.signalCode ?? "running"}):\n${tail(app.output(), 15)}`,
  );
  return [`not approved:`, ...pending, ...outputs].join("\n\n");
}

/**
 * What a person would count after the runs: per run one status comment, one pull request of its
 * phase and one review on it, one run started in the orchestrator, and no outcome mirrored twice.
 * Answers the problems found (empty when all is well).
 */
export function countProblems(fleet: Fleet, runs: FleetRun[]): string[] {
  const { sim, api } = fleet;
  const problems: string[] = [];
  for (const run of runs) {
    const where = `${run.owner}/${run.repo}#${run.issue} (${run.phase})`;
    const comments = statusComments(fleet, run).length;
    if (comments !== 1) problems.push(`${where}: ${comments} status comments`);
    const pulls = sim.pulls(run.owner, run.repo).filter((p) => p.head.ref === `autopack/${run.issue}/${run.phase}`);
    if (pulls.length !== 1) problems.push(`${where}: ${pulls.length} pull requests`);
    for (const pull of pulls) {
      const reviews = sim.reviews(run.owner, run.repo, pull.number).length;
      if (reviews !== 1) problems.push(`${where}: ${reviews} reviews on #${pull.number}`);
    }
  }
  const started = api.calls.filter((c) => c.path === "/runs/start" && c.status === 201).length;
  if (started !== runs.length) problems.push(`${started} runs started in the orchestrator, not ${runs.length}`);
  const outcomes = api.calls.filter((c) => c.method === "POST" && /_result$/.test(c.path) && c.status >= 200 && c.status < 300);
  const distinct = new Set(outcomes.map((c) => `${c.path} attempt ${attemptOf(c.body)}`));
  if (distinct.size !== runs.length * 2)
    problems.push(`${distinct.size} outcomes mirrored, not ${runs.length * 2} (a build and an audit per run)`);
  // Of the world's invariants (which look at its one repository), those that hold across repositories.
  problems.push(...sim.openapiErrors, ...fleet.llm.unexpected, ...(api.invalidBodies ?? []));
  problems.push(...doubledOutcomes(fleet).map((key) => `${key} mirrored twice`));
  return problems;
}

const attemptOf = (body: unknown) => {
  const b = body as { builder_attempts?: number; auditor_attempts?: number };
  return b.builder_attempts ?? b.auditor_attempts;
};

/** Mirror outcomes the orchestrator accepted more than once (the keys, each as often as it was doubled). */
export function doubledOutcomes(fleet: Fleet): string[] {
  const seen = new Set<string>();
  const doubled: string[] = [];
  for (const call of fleet.api.calls.filter((c) => c.method === "POST" && /_result$/.test(c.path) && c.status >= 200 && c.status < 300)) {
    const key = `${call.path} attempt ${attemptOf(call.body)}`;
    if (seen.has(key)) doubled.push(key);
    seen.add(key);
  }
  return doubled;
}
