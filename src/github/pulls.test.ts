import { simClient } from "../../test/support/github-sim/client.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import type { GitHubClient, RepoName } from "./client.js";
import { findOpenPull, getPull, upsertPhasePull } from "./pulls.js";

let sim: GitHubSim;
let gh: GitHubClient;
let repo: RepoName;
const branch = "autopack/3/P2";

beforeAll(async () => {
  sim = await startGitHubSim();
  gh = simClient(sim);
  sim.addRepo({ owner: "acme", name: "pulls", files: { "a.txt": "a\n" } });
  repo = { owner: "acme", repo: "pulls" };
  sim.pushCommit("acme", "pulls", branch, { "b.txt": "b\n" }, "autopack[bot]", "phase work");
});
afterAll(async () => {
  await sim.close();
});

describe("phase pull requests", () => {
  it("creates the PR once, then updates it in place", async () => {
    expect(await findOpenPull(gh, repo, branch)).toBeNull();
    const input = { branch, base: "main", title: "[Autopack P2] Thing", body: "first", draft: true };
    const created = await upsertPhasePull(gh, repo, input);
    expect(created.action).toBe("created");
    const updated = await upsertPhasePull(gh, repo, { ...input, body: "second" });
    expect(updated).toMatchObject({ number: created.number, action: "updated" });
    const pulls = sim.pulls("acme", "pulls");
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ title: "[Autopack P2] Thing", body: "second", draft: true });
    sim.assertClean();
  });

  it("treats 'A pull request already exists' as found", async () => {
    // The list misses the PR (as if created concurrently); the create then answers 422.
    sim.fault({ method: "GET", path: /\/pulls$/, status: 200, body: [] });
    const result = await upsertPhasePull(gh, repo, { branch, base: "main", title: "[Autopack P2] Thing", body: "third", draft: false });
    expect(result.action).toBe("updated");
    expect(sim.pulls("acme", "pulls")).toHaveLength(1);
    expect(sim.pulls("acme", "pulls")[0]!.body).toBe("third");
  });

  it("reads the base commit and how many files the PR changes", async () => {
    const { number } = await upsertPhasePull(gh, repo, { branch, base: "main", title: "[Autopack P2] Thing", body: "b", draft: false });
    const pull = await getPull(gh, repo, number);
    expect(pull).toMatchObject({ baseSha: sim.branchHead("acme", "pulls", "main"), changedFiles: 1, headRef: branch });
  });
});
