import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simClient } from "../../test/support/github-sim/client.js";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import type { GitHubClient } from "./client.js";
import { CLIENT_MS, octokitGitHub, type DoorOptions } from "./octokit-door.js";

let sim: GitHubSim;
let clock: number;
/** The installations `auth` was asked for, in order. */
let made: number[];
let failNext: boolean;

beforeEach(async () => {
  sim = await startGitHubSim();
  sim.addRepo({ owner: "acme", name: "widgets", files: { "README.md": "# widgets\n" } });
  clock = 1_000_000;
  made = [];
  failNext = false;
});
afterEach(async () => {
  sim.assertClean();
  await sim.close();
});

function door(options: DoorOptions = {}) {
  return octokitGitHub(
    async (installationId) => {
      if (installationId === undefined) return simClient(sim, null);
      made.push(installationId);
      if (failNext) {
        failNext = false;
        throw new Error("GitHub did not answer");
      }
      return simClient(sim, installationId) as GitHubClient;
    },
    { now: () => clock, ...options },
  );
}

/** One job: it opens the installation and reads the repository's issue. */
async function job(app: ReturnType<typeof door>, issue: number, installationId = sim.installationId) {
  return (await (await app.installation(installationId)).repo("acme", "widgets").issue(issue)).title;
}

describe("an installation's client, shared by its jobs", () => {
  it("is made once for the installation's jobs, and each job still reads what GitHub holds now", async () => {
    const app = door();
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    expect(await job(app, issue)).toBe("Plan");
    sim.editIssue("acme", "widgets", issue, { title: "Plan, renamed" });
    expect(await job(app, issue)).toBe("Plan, renamed");
    await Promise.all([job(app, issue), job(app, issue)]);
    expect(made).toEqual([sim.installationId]);
    // The installation's token was asked for once, by the one client.
    expect(sim.requests.filter((r) => r.method === "POST" && r.path.endsWith("/access_tokens"))).toHaveLength(1);
  });

  it("is made anew once it is older than an installation token may be kept", async () => {
    const app = door();
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    await job(app, issue);
    clock += CLIENT_MS - 1;
    await job(app, issue);
    expect(made).toHaveLength(1);
    clock += 2;
    expect(await job(app, issue)).toBe("Plan");
    expect(made).toEqual([sim.installationId, sim.installationId]);
  });

  it("is not kept when making it failed: the next job asks again", async () => {
    const app = door();
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    failNext = true;
    await expect(job(app, issue)).rejects.toThrow("GitHub did not answer");
    expect(await job(app, issue)).toBe("Plan");
    expect(made).toEqual([sim.installationId, sim.installationId]);
  });

  it("gets the door's hooks once, however many jobs use it: the rate limit is reported once per response", async () => {
    const reports: number[] = [];
    const app = door({ conditional: false, meter: { count: () => undefined, rateLimit: (remaining) => reports.push(remaining) } });
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    for (let i = 0; i < 3; i++) {
      const [reported, asked] = [reports.length, sim.requests.length];
      await job(app, issue);
      expect(reports.length - reported).toBe(sim.requests.length - asked);
    }
    expect(reports.length).toBeGreaterThanOrEqual(3);
  });
});
