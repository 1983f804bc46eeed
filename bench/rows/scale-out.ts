/**
 * Phases per minute with 4 workers against 1, on Redis: the app as real processes (one web process
 * and the workers) against the GitHub simulator and the fake model, slowed to something like the
 * real thing. Runs alone with `npx tsx bench/rows/scale-out.ts`.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { until } from "../../test/support/app-process.js";
import { addRepos, approved, countProblems, deliverLabel, startFleet, workload } from "../../test/support/process-fleet.js";
import type { BenchRow } from "./row.js";

const INSTALLATIONS = 4;
const RUNS = 16;
const GITHUB_LATENCY_MS = 100;
const MODEL_LATENCY_MS = 2_000;
const TARGET = 3.5;

interface Measure {
  workers: number;
  seconds: number;
  perMinute: number;
  githubWrites: number;
  problems: string[];
}

/** One workload (RUNS one-phase runs over `installations` accounts) on a fresh Redis and fresh simulators. */
async function measure(workers: number, installations: number): Promise<Measure> {
  const fleet = await startFleet();
  try {
    const repos = Array.from({ length: installations }, (_, i) => ({ owner: `team-${i + 1}`, repo: "service" }));
    addRepos(fleet, repos);
    const runs = workload(fleet, repos, RUNS, { modelDelayMs: MODEL_LATENCY_MS });
    fleet.sim.fault({ path: /./, delayMs: GITHUB_LATENCY_MS, times: Infinity });
    const web = await fleet.start("web");
    await Promise.all(Array.from({ length: workers }, () => fleet.start("worker")));
    const webhookUrl = `http://127.0.0.1:${web.port}/api/github/webhooks`;
    const started = performance.now();
    await Promise.all(runs.map((run) => deliverLabel(fleet, webhookUrl, run)));
    await until("every run approved", () => (runs.every((run) => approved(fleet, run)) ? true : undefined), 15 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    return {
      workers,
      seconds,
      perMinute: (RUNS * 60) / seconds,
      githubWrites: fleet.sim.requests.filter((r) => r.method !== "GET" && !r.path.includes("/access_tokens")).length,
      problems: countProblems(fleet, runs),
    };
  } finally {
    await fleet.close();
  }
}

/**
 * Why the ratio is what it is: GitHub asks for a second between writes of one installation, and the
 * write spacing shared on Redis (`src/github/shared-throttling.ts`) keeps to it across every process,
 * so the installations' write budget caps the fleet however many workers run.
 */
function scaleDetail(installations: number, writesPerPhase: number, onePerMinute: number, ratio: number): string {
  const cap = (installations * 60) / writesPerPhase;
  const wanted = TARGET * onePerMinute;
  const said =
    `${writesPerPhase.toFixed(1)} GitHub writes a phase (a one-phase run also posts, binds and seals its status comment, ` +
    `labels the issue and posts its summary); GitHub asks for a second between one installation's writes, and the ` +
    `write spacing, shared on Redis, keeps to it across every process, so ${installations} installations cap the fleet at ` +
    `about ${cap.toFixed(1)} phases/min whatever the workers.`;
  if (ratio >= TARGET || wanted <= cap) return said;
  const atMost = (installations * 60) / wanted;
  const minimal = 7; // tree, commit, ref, PR, check run, review, check run update
  return (
    `${said} **Why it misses.** ${TARGET}× the single worker is ${wanted.toFixed(1)} phases/min, above that cap: the single ` +
    `worker already reaches ${((onePerMinute / cap) * 100).toFixed(0)}% of it, so no number of workers could. What would close ` +
    `it: at most ${atMost.toFixed(1)} writes a phase` +
    (atMost < minimal
      ? `, fewer than the ${minimal} a reviewed PR takes (tree, commit, ref, PR, check run, review, check run update) before any status edit; `
      : `; `) +
    `or writing faster than GitHub asks, which Autopack does not do.`
  );
}

/** The row for one workload: phases per minute with 4 workers against 1. */
async function compare(installations: number, what: string): Promise<BenchRow> {
  const one = await measure(1, installations);
  const four = await measure(4, installations);
  const ratio = four.perMinute / one.perMinute;
  const writesPerPhase = four.githubWrites / RUNS;
  const problems = [...one.problems, ...four.problems];
  return {
    figure: `Phases per minute, 4 workers vs 1 (Redis; ${RUNS} one-phase runs over ${installations} installations${what}; GitHub ${GITHUB_LATENCY_MS} ms, model ${MODEL_LATENCY_MS / 1000} s a call)`,
    baseline: `1 worker: ${one.perMinute.toFixed(1)} phases/min (${one.seconds.toFixed(0)} s)`,
    target: `≥ ${TARGET}×`,
    measured: `4 workers: ${four.perMinute.toFixed(1)} phases/min (${four.seconds.toFixed(0)} s), ${ratio.toFixed(2)}×`,
    met: problems.length === 0 && ratio >= TARGET,
    detail:
      scaleDetail(installations, writesPerPhase, one.perMinute, ratio) + (problems.length > 0 ? `; PROBLEMS: ${problems.join("; ")}` : ""),
  };
}

export default async function scaleOutRows(): Promise<BenchRow[]> {
  return [
    await compare(INSTALLATIONS, ""),
    // The same runs, one per installation: the write budget no longer binds, the machine does.
    await compare(RUNS, ", one run each"),
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await scaleOutRows());
  process.exit(0);
}
