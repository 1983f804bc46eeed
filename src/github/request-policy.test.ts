import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simGitHub } from "../../test/support/github-sim/client.js";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import type { GitHubApp } from "./door.js";

let sim: GitHubSim;
let app: GitHubApp;

beforeEach(async () => {
  sim = await startGitHubSim({ perPage: 2 });
  sim.addRepo({ owner: "acme", name: "widgets", files: { "README.md": "# widgets\n" } });
  app = simGitHub(sim);
});
afterEach(async () => {
  sim.assertClean();
  await sim.close();
});

const asked = (path: RegExp) => sim.requests.filter((r) => r.method === "GET" && path.test(r.path)).map((r) => r.status);
const repo = async () => (await app.installation(sim.installationId)).repo("acme", "widgets");

describe("conditional requests and GitHub's waits, for every job's client", () => {
  it("asks again with the ETag it saw, and takes GitHub's 304 (free of the rate limit) as the same answer", async () => {
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    sim.addComment("acme", "widgets", issue, { body: "first", user: "maintainer" });
    expect((await (await repo()).comments(issue)).map((c) => c.body)).toEqual(["first"]);
    // Another job, another client: the same process still knows the ETag.
    expect((await (await repo()).comments(issue)).map((c) => c.body)).toEqual(["first"]);
    expect(asked(/\/issues\/\d+\/comments/)).toEqual([200, 304]);
    // A change is a new answer.
    sim.addComment("acme", "widgets", issue, { body: "second", user: "maintainer" });
    expect((await (await repo()).comments(issue)).map((c) => c.body)).toEqual(["first", "second"]);
    expect(asked(/\/issues\/\d+\/comments/)).toEqual([200, 304, 200]);
  });

  it("does not ask conditionally for a list longer than one page (a later page could have changed)", async () => {
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    for (const body of ["a", "b"]) sim.addComment("acme", "widgets", issue, { body, user: "maintainer" });
    expect(await (await repo()).comments(issue)).toHaveLength(2);
    sim.addComment("acme", "widgets", issue, { body: "c", user: "maintainer" });
    expect((await (await repo()).comments(issue)).map((c) => c.body)).toEqual(["a", "b", "c"]);
    expect(asked(/\/issues\/\d+\/comments/).every((status) => status === 200)).toBe(true);
  });

  it("reads the configuration again only when a commit on the default branch changed the file", async () => {
    expect((await (await repo()).config()).ok).toBe(true);
    await (await repo()).config();
    expect(asked(/\/contents\//)).toHaveLength(2); // the repository's file, then the organisation's, once
    // The branch moves, the file does not: the listing of the file's commits is the same, a 304.
    sim.pushCommit("acme", "widgets", "main", { "src/a.ts": "a\n" }, "maintainer");
    await (await repo()).config();
    expect(asked(/\/contents\//)).toHaveLength(2);
    expect(asked(/\/commits\?/)).toEqual([200, 304, 304]);
    sim.pushCommit("acme", "widgets", "main", { ".github/autopack.yml": "draft: true\n" }, "maintainer");
    const after = await (await repo()).config();
    expect(after.ok && after.config.draft).toBe(true);
  });

  it("sends nothing on the installation while GitHub's Retry-After runs, then sends the refused request once more", async () => {
    const issue = sim.addIssue("acme", "widgets", { title: "Plan", body: "x", user: "maintainer" });
    const github = await repo();
    await github.comments(issue); // the installation's token is in hand
    sim.fault({
      method: "GET",
      path: /\/issues\/\d+$/,
      status: 429,
      headers: { "retry-after": "1" },
      body: { message: "You have exceeded a secondary rate limit." },
    });
    const [got] = await Promise.all([
      github.issue(issue),
      // Another request of the same installation, sent a moment after the refusal.
      new Promise((resolve) => setTimeout(resolve, 100)).then(() => github.info()),
    ]);
    expect(got.title).toBe("Plan");
    const refused = sim.requests.findIndex((r) => r.status === 429);
    const after = sim.requests.slice(refused + 1);
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const r of after) expect(r.at - sim.requests[refused]!.at).toBeGreaterThanOrEqual(1000);
  });
});
