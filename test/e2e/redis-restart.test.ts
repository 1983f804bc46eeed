import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/app-process.js";
import {
  addRepos,
  approved,
  explainRuns,
  countProblems,
  deliverLabel,
  startFleet,
  workload,
  type Fleet,
} from "../support/process-fleet.js";

/** Three installations: GitHub takes one write a second from each. */
const REPOS = [
  { owner: "acme", repo: "widgets" },
  { owner: "globex", repo: "gadgets" },
  { owner: "initech", repo: "tps" },
];
const RUNS = 6;

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet();
});
afterAll(async () => {
  await fleet.close();
});

describe("Redis restarted empty in the middle of runs", () => {
  it("loses nothing GitHub holds: every run completes once, with one PR, one review and one status comment each", async () => {
    const { sim, redis } = fleet;
    addRepos(fleet, REPOS);
    // Slow models keep work in flight when Redis goes away.
    const runs = workload(fleet, REPOS, RUNS, { modelDelayMs: 500 });
    const web = await fleet.start("web");
    await Promise.all([fleet.start("worker"), fleet.start("worker")]);
    const webhookUrl = `http://127.0.0.1:${web.port}/api/github/webhooks`;
    for (const run of runs) expect(await deliverLabel(fleet, webhookUrl, run)).toEqual([200]);

    // Some runs have their pull request, and none is done: queued, running and delayed jobs all die with Redis.
    const pulls = () => REPOS.flatMap(({ owner, repo }) => sim.pulls(owner, repo)).length;
    await until("a pull request open", () => (pulls() > 0 ? true : undefined), 60_000);
    expect(runs.some((run) => approved(fleet, run))).toBe(false);
    await redis.restart();

    await until(
      "every run approved",
      () => (runs.every((run) => approved(fleet, run)) ? true : undefined),
      150_000,
      () => explainRuns(fleet, runs),
    );
    expect(countProblems(fleet, runs)).toEqual([]);
    // The worker that found Redis empty said so and swept again.
    expect(fleet.apps.map((app) => app.output()).join("\n")).toContain("the queue's Redis lost its data; sweeping open runs again");
  }, 240_000);
});
