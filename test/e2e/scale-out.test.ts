import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/app-process.js";
import {
  addRepos,
  approved,
  countProblems,
  deliverLabel,
  explainRuns,
  startFleet,
  statusComments,
  workload,
  type Fleet,
} from "../support/process-fleet.js";

const RUNS = 10;
/**
 * Five accounts, so five installations, each with its own token. GitHub takes one write a second from
 * an installation, so runs spread over installations are what more workers can speed up.
 */
const REPOS = [
  { owner: "acme", repo: "widgets" },
  { owner: "globex", repo: "gadgets" },
  { owner: "initech", repo: "tps" },
  { owner: "umbrella", repo: "hive" },
  { owner: "hooli", repo: "nucleus" },
];

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet();
});
afterAll(async () => {
  await fleet.close();
});

describe("one web process and three workers on Redis", () => {
  it("run every run of five installations once: one status comment, one PR and one review per phase, each outcome mirrored once, though every webhook came three times and a worker was killed", async () => {
    const { sim, llm } = fleet;
    addRepos(fleet, REPOS);
    expect(new Set(REPOS.map(({ owner }) => sim.installationFor(owner))).size).toBe(REPOS.length);
    // Slow models keep builds in flight long enough for a worker to die holding one.
    const runs = workload(fleet, REPOS, RUNS, { modelDelayMs: 300 });
    const web = await fleet.start("web");
    const workers = [];
    for (let w = 0; w < 3; w++) workers.push(await fleet.start("worker"));
    const webhookUrl = `http://127.0.0.1:${web.port}/api/github/webhooks`;

    // GitHub redelivers with the same delivery id: three at once for every run.
    const answers = await Promise.all(runs.map((run) => deliverLabel(fleet, webhookUrl, run, 3)));
    expect(answers.flat().every((status) => status === 200)).toBe(true);
    // A worker dies (kill -9) while builds are in flight; its jobs are taken over by the others.
    await until("a build in flight", () => (llm.requests.length > 0 ? true : undefined), 60_000);
    await fleet.kill(workers[0]!);

    await until(
      "every run approved",
      () => (runs.every((run) => approved(fleet, run)) ? true : undefined),
      150_000,
      () => explainRuns(fleet, runs),
    );
    // Late redeliveries change nothing.
    await Promise.all(runs.map((run) => deliverLabel(fleet, webhookUrl, run)));
    await new Promise((r) => setTimeout(r, 1_000));
    for (const run of runs) expect(statusComments(fleet, run)).toHaveLength(1);
    // Each installation's repository was written with its own installation's token only.
    expect(sim.requests.filter((r) => r.status === 403)).toEqual([]);
    expect(countProblems(fleet, runs)).toEqual([]);
  }, 240_000);
});
