import { simClient } from "./client.js";
import { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "./index.js";

type Client = InstanceType<typeof ProbotOctokit>;

let sim: GitHubSim;
let octokit: Client;

/** The status of a request that should fail, or "ok". */
async function statusOf(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { status: number }).status;
  }
}

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; response: { data: Record<string, unknown> } };
    return { status: e.status, data: e.response.data };
  }
  throw new Error("expected the request to fail");
}

beforeAll(async () => {
  sim = await startGitHubSim({ perPage: 5 });
  octokit = simClient(sim);
});

afterAll(async () => {
  sim.assertClean();
  await sim?.close();
});

describe("github-sim: auth", () => {
  it("hands out an installation token for an app JWT and attributes writes to the bot", async () => {
    sim.addRepo({ owner: "acme", name: "auth", files: { "a.txt": "a\n" } });
    const issue = sim.addIssue("acme", "auth", { title: "T", body: "B", user: "alice" });
    const { data } = await octokit.rest.issues.createComment({ owner: "acme", repo: "auth", issue_number: issue, body: "hi" });
    expect(data.user?.login).toBe("autopack[bot]");
    expect(data.user?.type).toBe("Bot");
    expect(data.performed_via_github_app?.slug).toBe("autopack");
    const tokenCall = sim.requests.find((r) => r.path === `/app/installations/${sim.installationId}/access_tokens`);
    expect(tokenCall?.status).toBe(201);
    expect(sim.comments("acme", "auth", issue).map((c) => c.performed_via_github_app?.id)).toEqual([sim.appId]);

    const app = await (octokit.auth({ type: "app" }) as Promise<{ token: string }>);
    const appInfo = await fetch(`${sim.baseUrl}/app`, { headers: { authorization: `Bearer ${app.token}` } });
    expect(await appInfo.json()).toMatchObject({ id: sim.appId, slug: "autopack" });
  });

  it("answers 401 without a token, with a JWT on a repository route, and with a forged JWT", async () => {
    expect((await fetch(`${sim.baseUrl}/repos/acme/auth`)).status).toBe(401);
    const app = await (octokit.auth({ type: "app" }) as Promise<{ token: string }>);
    expect((await fetch(`${sim.baseUrl}/repos/acme/auth`, { headers: { authorization: `Bearer ${app.token}` } })).status).toBe(401);
    const forged = `${app.token.split(".").slice(0, 2).join(".")}.AAAA`;
    const res = await fetch(`${sim.baseUrl}/app`, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });
});

describe("github-sim: issues and comments", () => {
  it("paginates comments with Link headers that octokit.paginate follows", async () => {
    sim.addRepo({ owner: "acme", name: "pages" });
    const issue = sim.addIssue("acme", "pages", { title: "Busy", body: "", user: "alice" });
    for (let i = 0; i < 12; i++) sim.addComment("acme", "pages", issue, { body: `c${i}`, user: "bob" });
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: "acme", repo: "pages", issue_number: issue });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
    expect(sim.requests.filter((r) => r.path.startsWith(`/repos/acme/pages/issues/${issue}/comments`)).length).toBe(3);

    const second = await octokit.rest.issues.listComments({ owner: "acme", repo: "pages", issue_number: issue, page: 2 });
    const link = second.headers.link ?? "";
    expect(link).toContain('rel="prev"');
    expect(link).toContain('rel="next"');
    expect(link).toMatch(/page=3[^>]*>; rel="last"/);
    expect(link).toContain(sim.baseUrl);
  });

  it("lists issues by label and state, pull requests included, and the installation's repositories", async () => {
    sim.addRepo({ owner: "acme", name: "sweep" });
    const a = sim.addIssue("acme", "sweep", { title: "A", body: "", user: "alice", labels: ["autopack"] });
    sim.addIssue("acme", "sweep", { title: "B", body: "", user: "alice" });
    const c = sim.addIssue("acme", "sweep", { title: "C", body: "", user: "alice", labels: ["Autopack"] });
    sim.editIssue("acme", "sweep", c, { state: "closed" });
    const open = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "sweep", labels: "autopack" });
    expect(open.map((i) => i.number)).toEqual([a]);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "sweep", labels: "autopack", state: "all" });
    expect(all.map((i) => i.number)).toEqual([c, a]);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation);
    expect(repos.map((r) => r.full_name)).toContain("acme/sweep");
  });

  it("adds and removes labels, with 404 for a label that is not there", async () => {
    sim.addRepo({ owner: "acme", name: "labels" });
    const issue = sim.addIssue("acme", "labels", { title: "L", body: "", user: "alice", labels: ["autopack"] });
    const added = await octokit.rest.issues.addLabels({ owner: "acme", repo: "labels", issue_number: issue, labels: ["autopack:done"] });
    expect(added.data.map((l) => l.name)).toEqual(["autopack", "autopack:done"]);
    await octokit.rest.issues.removeLabel({ owner: "acme", repo: "labels", issue_number: issue, name: "autopack" });
    expect(sim.labels("acme", "labels", issue)).toEqual(["autopack:done"]);
    const missing = await errorOf(octokit.rest.issues.removeLabel({ owner: "acme", repo: "labels", issue_number: issue, name: "nope" }));
    expect(missing).toMatchObject({ status: 404, data: { message: "Label does not exist" } });
  });

  it("creates a reaction once (201) and then answers 200", async () => {
    sim.addRepo({ owner: "acme", name: "react" });
    const issue = sim.addIssue("acme", "react", { title: "R", body: "", user: "alice" });
    const comment = sim.addComment("acme", "react", issue, { body: "/autopack status", user: "alice" });
    const args = { owner: "acme", repo: "react", comment_id: comment, content: "eyes" as const };
    expect((await octokit.rest.reactions.createForIssueComment(args)).status).toBe(201);
    expect((await octokit.rest.reactions.createForIssueComment(args)).status).toBe(200);
    expect(sim.reactions("acme", "react", comment).map((r) => [r.content, r.user.login])).toEqual([["eyes", "autopack[bot]"]]);
  });

  it("reports collaborator permission and role name as GitHub maps them", async () => {
    sim.addRepo({ owner: "acme", name: "perm", private: true });
    sim.setPermission("acme", "perm", "maya", "maintain");
    sim.setPermission("acme", "perm", "tess", "triage");
    sim.addUser("nobody");
    const get = (username: string) => octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "perm", username });
    expect((await get("maya")).data).toMatchObject({ permission: "write", role_name: "maintain" });
    expect((await get("tess")).data).toMatchObject({ permission: "read", role_name: "triage" });
    expect((await get("acme")).data).toMatchObject({ permission: "admin", role_name: "admin" });
    expect((await get("nobody")).data).toMatchObject({ permission: "none", role_name: "none" });
  });
});

describe("github-sim: contents", () => {
  it("serves raw and JSON contents, 404s, and Probot's config lookup with the org fallback", async () => {
    sim.addRepo({ owner: "acme", name: "cfg", files: { ".github/autopack.yml": "label: go\n" } });
    const raw = await octokit.rest.repos.getContent({
      owner: "acme",
      repo: "cfg",
      path: ".github/autopack.yml",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("label: go\n");
    const json = await octokit.rest.repos.getContent({ owner: "acme", repo: "cfg", path: ".github/autopack.yml" });
    expect(Buffer.from((json.data as { content: string }).content, "base64").toString()).toBe("label: go\n");
    expect(await statusOf(octokit.rest.repos.getContent({ owner: "acme", repo: "cfg", path: "nope.txt" }))).toBe(404);

    const found = await octokit.config.get({ owner: "acme", repo: "cfg", path: ".github/autopack.yml" });
    expect(found.config).toEqual({ label: "go" });
    sim.addRepo({ owner: "acme", name: "bare" });
    const fallback = await octokit.config.get({
      owner: "acme",
      repo: "bare",
      path: ".github/autopack.yml",
      defaults: { label: "autopack" },
    });
    expect(fallback.config).toEqual({ label: "autopack" });
    expect(sim.requests.some((r) => r.path.startsWith("/repos/acme/.github/contents/") && r.status === 404)).toBe(true);
  });
});

describe("github-sim: git database", () => {
  it("creates a ref once and refuses a duplicate with 422", async () => {
    const repo = sim.addRepo({ owner: "acme", name: "refs", files: { "a.txt": "a\n" } });
    const ref = { owner: "acme", repo: "refs", ref: "refs/heads/autopack/1/P1", sha: repo.headSha };
    expect((await octokit.rest.git.createRef(ref)).status).toBe(201);
    expect(await errorOf(octokit.rest.git.createRef(ref))).toMatchObject({ status: 422, data: { message: "Reference already exists" } });
    const got = await octokit.rest.git.getRef({ owner: "acme", repo: "refs", ref: "heads/autopack/1/P1" });
    expect(got.data.object.sha).toBe(repo.headSha);
  });

  it("builds a tree on base_tree with a deletion, commits, and fast-forwards; refuses a non fast-forward", async () => {
    const repo = sim.addRepo({ owner: "acme", name: "tree", files: { "keep.txt": "k\n", "drop.txt": "d\n", "src/a.ts": "a\n" } });
    const base = await octokit.rest.git.getCommit({ owner: "acme", repo: "tree", commit_sha: repo.headSha });
    const tree = await octokit.rest.git.createTree({
      owner: "acme",
      repo: "tree",
      base_tree: base.data.tree.sha,
      tree: [
        { path: "drop.txt", mode: "100644", type: "blob", sha: null },
        { path: "src/b.ts", mode: "100644", type: "blob", content: "b\n" },
      ],
    });
    const listed = await octokit.rest.git.getTree({ owner: "acme", repo: "tree", tree_sha: tree.data.sha, recursive: "1" });
    expect(listed.data.tree.map((e) => `${e.type}:${e.path}`)).toEqual(["blob:keep.txt", "tree:src", "blob:src/a.ts", "blob:src/b.ts"]);
    const commit = await octokit.rest.git.createCommit({
      owner: "acme",
      repo: "tree",
      message: "edit",
      tree: tree.data.sha,
      parents: [repo.headSha],
    });
    await octokit.rest.git.updateRef({ owner: "acme", repo: "tree", ref: "heads/main", sha: commit.data.sha });
    expect(sim.treeFiles("acme", "tree", "main")).toEqual({ "keep.txt": "k\n", "src/a.ts": "a\n", "src/b.ts": "b\n" });
    expect(sim.commit("acme", "tree", commit.data.sha)?.author.name).toBe("autopack[bot]");

    const sideways = await octokit.rest.git.createCommit({
      owner: "acme",
      repo: "tree",
      message: "side",
      tree: base.data.tree.sha,
      parents: [repo.headSha],
    });
    const refused = await errorOf(octokit.rest.git.updateRef({ owner: "acme", repo: "tree", ref: "heads/main", sha: sideways.data.sha }));
    expect(refused).toMatchObject({ status: 422, data: { message: "Update is not a fast forward" } });
    await octokit.rest.git.updateRef({ owner: "acme", repo: "tree", ref: "heads/main", sha: sideways.data.sha, force: true });
    expect(sim.branchHead("acme", "tree", "main")).toBe(sideways.data.sha);
  });

  it("refuses a tree that touches .github/workflows with 403, as for an app without the workflows permission", async () => {
    const repo = sim.addRepo({ owner: "acme", name: "wf", files: { ".github/workflows/ci.yml": "on: push\n", "a.txt": "a\n" } });
    const baseTree = sim.commit("acme", "wf", repo.headSha)!.tree.sha;
    const edit = (path: string, content: string | null) =>
      octokit.rest.git.createTree({
        owner: "acme",
        repo: "wf",
        base_tree: baseTree,
        tree: [content === null ? { path, mode: "100644", type: "blob", sha: null } : { path, mode: "100644", type: "blob", content }],
      });
    expect(await errorOf(edit(".github/workflows/ci.yml", "on: pull_request\n"))).toMatchObject({
      status: 403,
      data: { message: "Resource not accessible by integration" },
    });
    expect(await statusOf(edit(".github/workflows/new.yml", "on: push\n"))).toBe(403);
    expect(await statusOf(edit(".github/workflows/ci.yml", null))).toBe(403);
    expect(await statusOf(edit("a.txt", "b\n"))).toBe("ok");
  });

  it("truncates recursive trees past treeTruncateAt", async () => {
    const small = await startGitHubSim({ treeTruncateAt: 3 });
    try {
      const repo = small.addRepo({ owner: "o", name: "r", files: { "a/1": "1", "a/2": "2", "b/3": "3" } });
      const client = new ProbotOctokit({
        auth: { appId: small.appId, privateKey: small.privateKey, installationId: small.installationId },
        baseUrl: small.baseUrl,
        retry: { enabled: false },
        throttle: { enabled: false },
      });
      const tree = await client.rest.git.getTree({ owner: "o", repo: "r", tree_sha: repo.headSha, recursive: "true" });
      expect(tree.data.truncated).toBe(true);
      expect(tree.data.tree).toHaveLength(3);
      small.assertClean();
    } finally {
      await small.close();
    }
  });
});

describe("github-sim: checks", () => {
  it("makes a queued check suite at every push for the apps set to get one; their runs come later, in that suite", async () => {
    sim.addRepo({ owner: "acme", name: "ci", files: { "a.txt": "a\n" }, suitesOnPush: ["github-actions"] });
    const sha = sim.pushCommit("acme", "ci", "feature", { "b.txt": "b\n" }, "alice");
    const list = () => octokit.rest.checks.listSuitesForRef({ owner: "acme", repo: "ci", ref: sha });
    const before = (await list()).data.check_suites;
    expect(before.map((x) => [x.app?.slug, x.head_branch, x.status, x.conclusion, x.latest_check_runs_count])).toEqual([
      ["github-actions", "feature", "queued", null, 0],
    ]);
    sim.addCheckRun("acme", "ci", sha, { name: "test", status: "completed", conclusion: "failure" });
    const after = (await list()).data.check_suites;
    expect(after.map((x) => [x.id, x.status, x.conclusion, x.latest_check_runs_count])).toEqual([
      [before[0]!.id, "completed", "failure", 1],
    ]);
    // A repository without workflows gets none.
    sim.setSuitesOnPush("acme", "ci", []);
    const bare = sim.pushCommit("acme", "ci", "feature", { "c.txt": "c\n" }, "alice");
    expect((await octokit.rest.checks.listSuitesForRef({ owner: "acme", repo: "ci", ref: bare })).data.check_suites).toEqual([]);
  });
});

describe("github-sim: OpenAPI checks", () => {
  it("records an unknown route and a body GitHub's schema refuses, and answers 404 / 422", async () => {
    sim.addRepo({ owner: "acme", name: "oas" });
    const before = sim.openapiErrors.length;
    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "oas" }))).toBe(404);
    const bad = await errorOf(
      octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        owner: "acme",
        repo: "oas",
        name: "x",
        head_sha: "abc",
        status: "done" as never,
      }),
    );
    expect(bad.status).toBe(422);
    const extra = await errorOf(
      octokit.request("POST /repos/{owner}/{repo}/labels", { owner: "acme", repo: "oas", name: "x", colour: "fff" }),
    );
    expect(extra.status).toBe(422);
    const badQuery = await errorOf(
      octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "oas", state: "merged" as never }),
    );
    expect(badQuery.status).toBe(422);
    const found = sim.openapiErrors.slice(before);
    expect(found).toHaveLength(4);
    expect(found[3]).toMatch(/query parameter "state" must be one of open, closed, all/);
    expect(found[0]).toContain("GET /repos/acme/oas/no-such-thing");
    expect(found[1]).toMatch(/checks\/create.*status.*allowed values/);
    expect(found[2]).toMatch(/must NOT have additional properties/);
    expect(() => sim.assertClean()).toThrow(/GitHub would refuse/);
    sim.openapiErrors.length = before;
    expect(sim.openapiLoadMs).toBeGreaterThanOrEqual(0);
  });

  it("injects faults with headers, for a number of requests", async () => {
    sim.addRepo({ owner: "acme", name: "faults" });
    sim.fault({
      method: "GET",
      path: /^\/repos\/acme\/faults$/,
      status: 429,
      times: 2,
      headers: { "retry-after": "1", "x-ratelimit-remaining": "0" },
    });
    const first = await errorOf(octokit.rest.repos.get({ owner: "acme", repo: "faults" }));
    expect(first.status).toBe(429);
    expect(await statusOf(octokit.rest.repos.get({ owner: "acme", repo: "faults" }))).toBe(429);
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "faults" })).data.full_name).toBe("acme/faults");
  });
});

describe("github-sim: issue events", () => {
  it("lists who added or removed which label, oldest first, and keeps them when comments go", async () => {
    sim.addRepo({ owner: "acme", name: "events" });
    sim.setPermission("acme", "events", "maintainer", "maintain");
    const issue = sim.addIssue("acme", "events", { title: "T", body: "B", user: "alice", labels: ["bug"] });
    sim.addLabels("acme", "events", issue, ["autopack"], "maintainer");
    await octokit.rest.issues.addLabels({ owner: "acme", repo: "events", issue_number: issue, labels: ["autopack:done"] });
    sim.removeLabel("acme", "events", issue, "bug", "maintainer");
    const comment = sim.addComment("acme", "events", issue, { body: "hi", user: "alice" });
    sim.deleteComment("acme", "events", comment);
    const events = await octokit.paginate(octokit.rest.issues.listEvents, {
      owner: "acme",
      repo: "events",
      issue_number: issue,
      per_page: 2,
    });
    expect(events.map((e) => [e.event, (e as { label?: { name: string } }).label?.name, e.actor?.login])).toEqual([
      ["labeled", "bug", "alice"],
      ["labeled", "autopack", "maintainer"],
      ["labeled", "autopack:done", "autopack[bot]"],
      ["unlabeled", "bug", "maintainer"],
    ]);
    expect(events[2]?.performed_via_github_app?.slug).toBe("autopack");
    expect(sim.comments("acme", "events", issue)).toEqual([]);
  });
});
