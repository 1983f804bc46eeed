import { simClient } from "./client.js";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "./index.js";

type Client = InstanceType<typeof ProbotOctokit>;

const MATH = [
  "export function add(a: number, b: number): number {",
  "  return a + b;",
  "}",
  "",
  "export function sub(a: number, b: number): number {",
  "  return a - b;",
  "}",
  "",
  "export function mul(a: number, b: number): number {",
  "  return a * b;",
  "}",
  "",
].join("\n");

let sim: GitHubSim;
let octokit: Client;

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response: { data: Record<string, unknown> } };
    return { status: e.status, data: e.response.data };
  }
  throw new Error("expected the request to fail");
}

/** What the app does for a phase: branch, tree, commit, ref, pull request. Returns the PR number. */
async function openPhasePull(repo: string, branch: string, files: Record<string, string | null>): Promise<number> {
  const owner = "acme";
  const main = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
  const base = await octokit.rest.git.getCommit({ owner, repo, commit_sha: main.data.object.sha });
  await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: main.data.object.sha });
  const tree = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: base.data.tree.sha,
    tree: Object.entries(files).map(([path, content]) =>
      content === null
        ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
        : { path, mode: "100644" as const, type: "blob" as const, content },
    ),
  });
  const commit = await octokit.rest.git.createCommit({
    owner,
    repo,
    message: "phase",
    tree: tree.data.sha,
    parents: [main.data.object.sha],
  });
  await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.data.sha });
  const pr = await octokit.rest.pulls.create({
    owner,
    repo,
    head: branch,
    base: "main",
    title: `[Autopack P1] ${branch}`,
    body: "Part of #1",
  });
  return pr.data.number;
}

beforeAll(async () => {
  sim = await startGitHubSim({ perPage: 2 });
  octokit = simClient(sim);
});

afterAll(async () => {
  sim.assertClean();
  await sim?.close();
});

describe("github-sim: pull requests", () => {
  it("opens a PR, refuses a duplicate and an empty one, and lists files with git's patches", async () => {
    sim.addRepo({ owner: "acme", name: "app", files: { "src/math.ts": MATH, "README.md": "# Demo\n\nA demo.\n" } });
    const number = await openPhasePull("app", "autopack/1/P1", {
      "src/math.ts": MATH.replace("  return a - b;\n", "  const d = a - b;\n  return d;\n"),
      "README.md": null,
      "src/new.ts": "export const x = 1;\n",
    });
    const pull = await octokit.rest.pulls.get({ owner: "acme", repo: "app", pull_number: number });
    expect(pull.data).toMatchObject({
      state: "open",
      merged: false,
      mergeable: true,
      head: { ref: "autopack/1/P1" },
      base: { ref: "main" },
      user: { login: "autopack[bot]" },
    });
    expect(pull.data).toMatchObject({ changed_files: 3, additions: 3, deletions: 4, commits: 1 });

    const duplicate = await errorOf(
      octokit.rest.pulls.create({ owner: "acme", repo: "app", head: "acme:autopack/1/P1", base: "main", title: "again" }),
    );
    expect(duplicate.status).toBe(422);
    expect(duplicate.data).toMatchObject({
      message: "Validation Failed",
      errors: [{ resource: "PullRequest", code: "custom", message: "A pull request already exists for acme:autopack/1/P1." }],
    });

    const main = sim.branchHead("acme", "app", "main")!;
    await octokit.rest.git.createRef({ owner: "acme", repo: "app", ref: "refs/heads/empty", sha: main });
    const empty = await errorOf(octokit.rest.pulls.create({ owner: "acme", repo: "app", head: "empty", base: "main", title: "nothing" }));
    expect(empty.data.errors).toEqual([{ resource: "PullRequest", code: "custom", message: "No commits between main and empty" }]);

    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "acme", repo: "app", pull_number: number });
    expect(files.map((f) => [f.filename, f.status, f.additions, f.deletions, f.changes])).toEqual([
      ["README.md", "removed", 0, 3, 3],
      ["src/math.ts", "modified", 2, 1, 3],
      ["src/new.ts", "added", 1, 0, 1],
    ]);
    expect(files[0]!.patch).toBe("@@ -1,3 +0,0 @@\n-# Demo\n-\n-A demo.");
    expect(files[1]!.patch).toBe(
      [
        "@@ -3,7 +3,8 @@ export function add(a: number, b: number): number {",
        " }",
        " ",
        " export function sub(a: number, b: number): number {",
        "-  return a - b;",
        "+  const d = a - b;",
        "+  return d;",
        " }",
        " ",
        " export function mul(a: number, b: number): number {",
      ].join("\n"),
    );
    expect(files[2]!.patch).toBe("@@ -0,0 +1 @@\n+export const x = 1;");
    expect(files[2]!.sha).toBe("ad1d380d6cc4dfe69119852d461b7ccd89a19228");

    const diff = await octokit.rest.pulls.get({ owner: "acme", repo: "app", pull_number: number, mediaType: { format: "diff" } });
    const text = diff.data as unknown as string;
    expect(text).toContain(
      "diff --git a/src/new.ts b/src/new.ts\nnew file mode 100644\nindex 0000000..ad1d380\n--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1 @@\n+export const x = 1;\n",
    );
    expect(text).toContain("deleted file mode 100644\nindex 98a3330..0000000\n--- a/README.md\n+++ /dev/null\n");
  });

  it("filters the list by state and owner:branch head", async () => {
    const open = await octokit.rest.pulls.list({ owner: "acme", repo: "app", head: "acme:autopack/1/P1", state: "open" });
    expect(open.data.map((p) => p.head.ref)).toEqual(["autopack/1/P1"]);
    const none = await octokit.rest.pulls.list({ owner: "acme", repo: "app", head: "acme:other", state: "all" });
    expect(none.data).toEqual([]);
  });

  it("refuses a review whose comment is off the diff, storing nothing, and stores a valid one", async () => {
    const pull = sim.pull("acme", "app", 1);
    const review = (line: number, side: "LEFT" | "RIGHT", path = "src/math.ts") =>
      octokit.rest.pulls.createReview({
        owner: "acme",
        repo: "app",
        pull_number: 1,
        commit_id: pull.head.sha,
        event: "COMMENT",
        body: "Audit",
        comments: [{ path, line, side, body: "here" }],
      });
    expect(await errorOf(review(1, "RIGHT"))).toMatchObject({
      status: 422,
      data: { message: "Unprocessable Entity", errors: ["Line could not be resolved"] },
    });
    expect(await errorOf(review(10, "LEFT"))).toMatchObject({ status: 422 });
    expect(await errorOf(review(1, "RIGHT", "src/other.ts"))).toMatchObject({
      status: 422,
      data: { errors: ["Path could not be resolved"] },
    });
    expect(sim.reviews("acme", "app", 1)).toEqual([]);

    const made = await octokit.rest.pulls.createReview({
      owner: "acme",
      repo: "app",
      pull_number: 1,
      commit_id: pull.head.sha,
      event: "COMMENT",
      body: "Audit",
      comments: [
        { path: "src/math.ts", line: 7, side: "RIGHT", body: "name it diff" },
        { path: "src/math.ts", line: 6, side: "LEFT", body: "was fine" },
        { path: "src/math.ts", start_line: 5, line: 7, side: "RIGHT", body: "range" },
      ],
    });
    expect(made.data).toMatchObject({ state: "COMMENTED", commit_id: pull.head.sha, user: { login: "autopack[bot]" } });
    const comments = sim.reviewComments("acme", "app", 1);
    expect(comments.map((c) => [c.line, c.side, c.start_line])).toEqual([
      [7, "RIGHT", null],
      [6, "LEFT", null],
      [7, "RIGHT", 5],
    ]);
    expect(comments[0]!.diff_hunk.split("\n").pop()).toBe("+  return d;");
    const listed = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner: "acme", repo: "app", pull_number: 1 });
    expect(listed).toHaveLength(3);
  });

  it("refuses APPROVE and REQUEST_CHANGES on the bot's own PR, and accepts a person's", async () => {
    const own = await errorOf(octokit.rest.pulls.createReview({ owner: "acme", repo: "app", pull_number: 1, event: "APPROVE" }));
    expect(own).toMatchObject({ status: 422, data: { errors: ["Can not approve your own pull request"] } });
    const changes = await errorOf(
      octokit.rest.pulls.createReview({ owner: "acme", repo: "app", pull_number: 1, event: "REQUEST_CHANGES", body: "no" }),
    );
    expect(changes.data.errors).toEqual(["Can not request changes on your own pull request"]);
    const id = sim.addReview("acme", "app", 1, { user: "alice", event: "REQUEST_CHANGES", body: "rename d" });
    const reviews = await octokit.rest.pulls.listReviews({ owner: "acme", repo: "app", pull_number: 1 });
    expect(reviews.data.find((r) => r.id === id)).toMatchObject({ state: "CHANGES_REQUESTED", user: { login: "alice" } });
  });

  it("keeps the PR head in step with pushes, and merges (405 when unmergeable)", async () => {
    const pushed = sim.pushCommit("acme", "app", "autopack/1/P1", { "src/new.ts": "export const x = 2;\n" }, "alice", "tweak");
    expect(sim.pull("acme", "app", 1).head.sha).toBe(pushed);
    sim.setMergeable("acme", "app", 1, false);
    const refused = await errorOf(octokit.rest.pulls.merge({ owner: "acme", repo: "app", pull_number: 1 }));
    expect(refused).toMatchObject({ status: 405, data: { message: "Pull Request is not mergeable" } });
    sim.setMergeable("acme", "app", 1, undefined);
    const merged = await octokit.rest.pulls.merge({ owner: "acme", repo: "app", pull_number: 1, merge_method: "squash" });
    expect(merged.data.merged).toBe(true);
    expect(sim.pull("acme", "app", 1)).toMatchObject({
      state: "closed",
      merged: true,
      merge_commit_sha: merged.data.sha,
      merged_by: { login: "autopack[bot]" },
    });
    expect(sim.fileAt("acme", "app", "main", "src/new.ts")).toBe("export const x = 2;\n");
    expect(sim.fileAt("acme", "app", "main", "README.md")).toBeUndefined();
    expect(sim.commit("acme", "app", merged.data.sha)?.parents).toHaveLength(1);
  });

  it("detects a conflict when both sides change a file", async () => {
    await openPhasePull("app", "autopack/1/P2", { "src/new.ts": "export const x = 3;\n" });
    sim.pushCommit("acme", "app", "main", { "src/new.ts": "export const x = 4;\n" }, "alice");
    expect(sim.pull("acme", "app", 2)).toMatchObject({ mergeable: false, mergeable_state: "dirty" });
    expect((await errorOf(octokit.rest.pulls.merge({ owner: "acme", repo: "app", pull_number: 2 }))).status).toBe(405);
    sim.closePull("acme", "app", 2);
    expect(sim.pull("acme", "app", 2).state).toBe("closed");
  });
});

describe("github-sim: checks and statuses", () => {
  it("creates, updates and lists check runs, next to the repository's own CI", async () => {
    const repo = sim.addRepo({ owner: "acme", name: "checks", files: { "a.ts": "a\n" } });
    const ci = sim.addCheckRun("acme", "checks", repo.headSha, {
      name: "build",
      conclusion: "failure",
      output: { title: "Build", summary: "1 error" },
    });
    const created = await octokit.rest.checks.create({
      owner: "acme",
      repo: "checks",
      name: "Autopack audit",
      head_sha: repo.headSha,
      status: "in_progress",
    });
    expect(created.data).toMatchObject({ status: "in_progress", conclusion: null, app: { slug: "autopack" } });
    const updated = await octokit.rest.checks.update({
      owner: "acme",
      repo: "checks",
      check_run_id: created.data.id,
      conclusion: "success",
      output: {
        title: "Approved",
        summary: "No findings",
        annotations: [{ path: "a.ts", start_line: 1, end_line: 1, annotation_level: "notice", message: "ok" }],
      },
    });
    expect(updated.data).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Approved", annotations_count: 1 } });
    const forbidden = await errorOf(
      octokit.rest.checks.update({ owner: "acme", repo: "checks", check_run_id: ci, status: "completed", conclusion: "success" }),
    );
    expect(forbidden.status).toBe(403);

    const mine = await octokit.rest.checks.listForRef({ owner: "acme", repo: "checks", ref: repo.headSha, check_name: "Autopack audit" });
    expect(mine.data.total_count).toBe(1);
    const all = await octokit.rest.checks.listForRef({ owner: "acme", repo: "checks", ref: "main" });
    expect(all.data.check_runs.map((r) => [r.name, r.app?.slug, r.conclusion])).toEqual([
      ["Autopack audit", "autopack", "success"],
      ["build", "github-actions", "failure"],
    ]);
    const suites = await octokit.rest.checks.listSuitesForRef({ owner: "acme", repo: "checks", ref: repo.headSha });
    expect(suites.data.check_suites.map((x) => [x.app?.slug, x.conclusion])).toEqual([
      ["github-actions", "failure"],
      ["autopack", "success"],
    ]);
    const annotations = await octokit.rest.checks.listAnnotations({ owner: "acme", repo: "checks", check_run_id: created.data.id });
    expect(annotations.data[0]).toMatchObject({ path: "a.ts", message: "ok" });
  });

  it("combines commit statuses, the latest per context winning", async () => {
    const sha = sim.branchHead("acme", "checks", "main")!;
    sim.setCommitStatus("acme", "checks", sha, { state: "pending", context: "ci/test" });
    sim.setCommitStatus("acme", "checks", sha, { state: "failure", context: "ci/test", description: "2 failed" });
    await octokit.rest.repos.createCommitStatus({ owner: "acme", repo: "checks", sha, state: "success", context: "autopack" });
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner: "acme", repo: "checks", ref: "main" });
    expect(combined.data.state).toBe("failure");
    expect(combined.data.statuses.map((x) => [x.context, x.state])).toEqual([
      ["autopack", "success"],
      ["ci/test", "failure"],
    ]);
    const list = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { owner: "acme", repo: "checks", ref: sha });
    expect(list).toHaveLength(3);
  });
});
