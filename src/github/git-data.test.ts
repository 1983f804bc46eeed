import { simClient } from "../../test/support/github-sim/client.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import type { GitHubClient, RepoName } from "./client.js";
import { createCommit, createTree, findPath, getBlob, getBranchSha, getCommit, getRecursiveTree, setBranch } from "./git-data.js";

let sim: GitHubSim;
let gh: GitHubClient;
let repo: RepoName;

beforeAll(async () => {
  sim = await startGitHubSim({ treeTruncateAt: 3 });
  gh = simClient(sim);
  sim.addRepo({ owner: "acme", name: "git-data", files: { "a.txt": "a\n", "dir/b.txt": "b\n" } });
  repo = { owner: "acme", repo: "git-data" };
});
afterAll(async () => {
  await sim.close();
});

describe("git-data", () => {
  it("reads refs, commits, trees and blobs", async () => {
    expect(await getBranchSha(gh, repo, "autopack/1/P1")).toBeNull();
    const head = (await getBranchSha(gh, repo, "main"))!;
    const commit = await getCommit(gh, repo, head);
    const tree = await getRecursiveTree(gh, repo, commit.treeSha);
    expect(
      tree.entries
        .filter((e) => e.type === "blob")
        .map((e) => e.path)
        .sort(),
    ).toEqual(["a.txt", "dir/b.txt"]);
    const a = tree.entries.find((e) => e.path === "a.txt")!;
    expect(Buffer.from(await getBlob(gh, repo, a.sha)).toString("utf8")).toBe("a\n");
  });

  it("says when the listing is truncated, and finds single paths then", async () => {
    const added = sim.addRepo({ owner: "acme", name: "big", files: { "1.txt": "1", "2.txt": "2", "d/3.txt": "3", "d/4.txt": "4" } });
    const big = { owner: "acme", repo: "big", id: added.id };
    const head = (await getBranchSha(gh, big, "main"))!;
    const tree = await getRecursiveTree(gh, big, (await getCommit(gh, big, head)).treeSha);
    expect(tree.truncated).toBe(true);
    expect(await findPath(gh, big, head, "d/4.txt")).toMatchObject({ path: "d/4.txt", type: "blob", size: 1 });
    expect(await findPath(gh, big, head, "d/5.txt")).toBeNull();
  });

  it("writes a tree with inline contents and deletions, a commit, and moves a branch safely", async () => {
    const head = (await getBranchSha(gh, repo, "main"))!;
    const base = await getCommit(gh, repo, head);
    const treeSha = await createTree(gh, repo, base.treeSha, [
      { path: "new.txt", mode: "100644", content: "new\n" },
      { path: "dir/b.txt", mode: "100644", content: null },
    ]);
    const sha = await createCommit(gh, repo, { message: "one", treeSha, parents: [head] });
    expect(await setBranch(gh, repo, "autopack/1/P1", sha, { exists: false, force: false })).toBe("created");
    expect(sim.treeFiles("acme", "git-data", "autopack/1/P1")).toEqual({ "a.txt": "a\n", "new.txt": "new\n" });

    // Created meanwhile: "Reference already exists" turns into an update.
    const next = await createCommit(gh, repo, { message: "two", treeSha, parents: [sha] });
    expect(await setBranch(gh, repo, "autopack/1/P1", next, { exists: false, force: false })).toBe("updated");

    // A commit that does not descend from the head is refused without force, never forced.
    const sideways = await createCommit(gh, repo, { message: "side", treeSha, parents: [head] });
    expect(await setBranch(gh, repo, "autopack/1/P1", sideways, { exists: true, force: false })).toBe("not-fast-forward");
    expect(sim.branchHead("acme", "git-data", "autopack/1/P1")).toBe(next);
    expect(await setBranch(gh, repo, "autopack/1/P1", sideways, { exists: true, force: true })).toBe("updated");
    sim.assertClean();
  });
});
