import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simGitHub } from "../../test/support/github-sim/client.js";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import type { AppQueuedJob } from "./jobs.js";
import { SWEEP_CONCURRENCY, sweepOpenRuns } from "./sweep.js";

let sim: GitHubSim;
beforeAll(async () => {
  sim = await startGitHubSim();
});
afterAll(async () => {
  await sim.close();
});

/** A queue that only keeps what was queued. */
function keepingQueue() {
  const jobs: AppQueuedJob[] = [];
  return {
    jobs,
    queue: {
      enqueue: async (job: AppQueuedJob) => void jobs.push(job),
      depth: async () => ({ waiting: jobs.length, delayed: 0, running: 0 }),
      drain: async () => undefined,
      close: async () => undefined,
    },
  };
}

function recordingLog() {
  const warnings: { fields: object; message: string }[] = [];
  const log = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (fields: object, message: string) => warnings.push({ fields, message }),
  };
  return { log, warnings };
}

describe("the startup sweep", () => {
  it("reconciles every labelled open issue of every installation, through every page, a few installations at a time, skipping one that fails", async () => {
    // More installations than one page of 100 holds, and a repository with more labelled issues than one page.
    const expected: string[] = [];
    for (let n = 0; n < 104; n++) {
      const owner = `org-${n}`;
      sim.addRepo({ owner, name: "app" });
      const issue = sim.addIssue(owner, "app", { title: "Plan", body: "", user: owner, labels: ["autopack"] });
      sim.addIssue(owner, "app", { title: "Not a plan", body: "", user: owner });
      expected.push(`${owner}/app#${issue}`);
    }
    sim.addRepo({ owner: "org-0", name: "busy" });
    for (let i = 0; i < 103; i++) {
      const issue = sim.addIssue("org-0", "busy", { title: `Plan ${i}`, body: "", user: "org-0", labels: ["autopack"] });
      expected.push(`org-0/busy#${issue}`);
    }
    sim.addRepo({ owner: "org-1", name: "other-label", files: { ".github/autopack.yml": "label: go\n" } });
    const go = sim.addIssue("org-1", "other-label", { title: "Plan", body: "", user: "org-1", labels: ["go"] });
    sim.addIssue("org-1", "other-label", { title: "Plan", body: "", user: "org-1", labels: ["autopack"] });
    expected.push(`org-1/other-label#${go}`);
    // One installation cannot get a token; every request takes a moment, so the sweep's lanes overlap.
    const broken = sim.installationFor("org-7");
    sim.fault({ method: "POST", path: new RegExp(`^/app/installations/${broken}/access_tokens$`), status: 500, times: Infinity });
    sim.fault({ path: /./, delayMs: 5, times: Infinity });
    sim.inFlight.peak = 0;

    const { jobs, queue } = keepingQueue();
    const { log, warnings } = recordingLog();
    const queued = await sweepOpenRuns({ github: simGitHub(sim), queue, log }, "s1");

    const swept = jobs.map((j) => `${j.job.target.owner}/${j.job.target.repo}#${j.job.target.issue}`);
    const reachable = expected.filter((e) => !e.startsWith("org-7/"));
    expect(swept.sort()).toEqual(reachable.sort());
    expect(queued).toBe(reachable.length);
    expect(jobs.every((j) => j.job.kind === "reconcile" && j.job.target.installationId === sim.installationFor(j.job.target.owner))).toBe(
      true,
    );
    expect(warnings).toEqual([
      { fields: expect.objectContaining({ installation: broken }), message: "startup sweep skipped an installation" },
    ]);
    // Never more requests at once than installations swept at once, and more than one at a time.
    expect(sim.inFlight.peak).toBeLessThanOrEqual(SWEEP_CONCURRENCY);
    expect(sim.inFlight.peak).toBeGreaterThan(1);
    expect(sim.requests.filter((r) => r.path.startsWith("/app/installations?")).length).toBe(2);
    expect(sim.requests.filter((r) => r.path.startsWith("/repos/org-0/busy/issues?")).length).toBe(2);
  }, 60_000);
});
