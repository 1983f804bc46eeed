import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEvent, deliverWebhook } from "../webhooks.js";
import { startGitHubSim, type GitHubSim } from "./index.js";

const SECRET = "webhook-secret";
let sim: GitHubSim;

beforeAll(async () => {
  sim = await startGitHubSim();
  sim.addRepo({ owner: "acme", name: "hooks", files: { "a.ts": "a\n" } });
});

afterAll(async () => {
  sim.assertClean();
  await sim?.close();
});

/** A loopback server that records what it receives. */
async function recorder(): Promise<{
  url: string;
  received: { headers: Record<string, string>; body: string }[];
  close: () => Promise<void>;
}> {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(202).end("accepted");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("webhooks", () => {
  it("signs the exact body so that @octokit/webhooks-methods verifies it", async () => {
    const rec = await recorder();
    try {
      const result = await deliverWebhook(rec.url, "ping", { zen: "Keep it logically awesome." }, SECRET, "delivery-1");
      expect(result).toEqual({ status: 202, body: "accepted" });
      const [hit] = rec.received;
      expect(hit!.headers).toMatchObject({
        "x-github-event": "ping",
        "x-github-delivery": "delivery-1",
        "content-type": "application/json",
      });
      expect(await verify(SECRET, hit!.body, hit!.headers["x-hub-signature-256"]!)).toBe(true);
      expect(await verify("other", hit!.body, hit!.headers["x-hub-signature-256"]!)).toBe(false);
    } finally {
      await rec.close();
    }
  });

  it("builds payloads from captured examples with the simulator's state", () => {
    sim.setPermission("acme", "hooks", "alice", "write");
    const issue = sim.addIssue("acme", "hooks", { title: "Plan", body: "## Tier T1: A", user: "alice", labels: ["autopack"] });
    const labeled = sim.events.issueLabeled({ owner: "acme", repo: "hooks", issue, label: "autopack", sender: "alice" });
    expect(labeled.name).toBe("issues");
    expect(labeled.payload).toMatchObject({
      action: "labeled",
      installation: { id: sim.installationId },
      repository: { full_name: "acme/hooks", name: "hooks", default_branch: "main", owner: { login: "acme" } },
      sender: { login: "alice", type: "User" },
      issue: {
        number: issue,
        title: "Plan",
        body: "## Tier T1: A",
        state: "open",
        user: { login: "alice" },
        labels: [{ name: "autopack" }],
      },
      label: { name: "autopack" },
    });
    expect(labeled.payload.repository.id).toBe(sim.repository("acme", "hooks").id);
    expect(() => sim.events.issueUnlabeled({ owner: "acme", repo: "hooks", issue, label: "autopack", sender: "alice" })).toThrow(
      /still on/,
    );

    const comment = sim.addComment("acme", "hooks", issue, { body: "/autopack status", user: "alice" });
    const created = sim.events.issueCommentCreated({ owner: "acme", repo: "hooks", comment });
    expect(created.payload.comment).toMatchObject({
      id: comment,
      body: "/autopack status",
      user: { login: "alice" },
      performed_via_github_app: null,
    });
    expect(created.payload.issue.number).toBe(issue);

    const run = sim.addCheckRun("acme", "hooks", sim.branchHead("acme", "hooks", "main")!, { name: "build", conclusion: "success" });
    const completed = sim.events.checkRunCompleted({ owner: "acme", repo: "hooks", checkRun: run });
    expect(completed.payload.check_run).toMatchObject({ id: run, name: "build", conclusion: "success", app: { slug: "github-actions" } });
    const suite = sim.events.checkSuiteCompleted({ owner: "acme", repo: "hooks", sha: sim.branchHead("acme", "hooks", "main")! });
    expect(suite.payload.check_suite).toMatchObject({ conclusion: "success", head_branch: "main" });

    const sha = sim.branchHead("acme", "hooks", "main")!;
    sim.setCommitStatus("acme", "hooks", sha, { state: "failure", context: "ci" });
    const status = sim.events.status({ owner: "acme", repo: "hooks", sha, context: "ci" });
    expect(status.payload).toMatchObject({ sha, state: "failure", context: "ci", branches: [{ name: "main" }] });
  });

  it("builds pull request and review payloads", () => {
    const before = sim.branchHead("acme", "hooks", "main")!;
    sim.pushCommit("acme", "hooks", "feature", { "a.ts": "b\n" }, "alice");
    const pull = sim.openPull("acme", "hooks", { head: "feature", title: "Feature", user: "alice" });
    const pushed = sim.pushCommit("acme", "hooks", "feature", { "b.ts": "b\n" }, "alice");
    const sync = sim.events.pullRequestSynchronize({ owner: "acme", repo: "hooks", pull, before, sender: "alice" });
    expect(sync.payload).toMatchObject({
      action: "synchronize",
      number: pull,
      after: pushed,
      pull_request: { head: { sha: pushed, ref: "feature" } },
    });
    const review = sim.addReview("acme", "hooks", pull, { user: "bob", event: "APPROVE" });
    const submitted = sim.events.pullRequestReviewSubmitted({ owner: "acme", repo: "hooks", pull, review });
    expect(submitted.payload.review).toMatchObject({ id: review, state: "approved", user: { login: "bob" } });
    sim.mergePull("acme", "hooks", pull, "alice");
    const closed = sim.events.pullRequestClosed({ owner: "acme", repo: "hooks", pull, sender: "alice" });
    expect(closed.payload.pull_request).toMatchObject({ merged: true, state: "closed" });
  });

  it("drives a Probot app end to end: signed delivery in, installation token, comment out", async () => {
    const probot = new Probot({
      appId: sim.appId,
      privateKey: sim.privateKey,
      secret: SECRET,
      baseUrl: sim.baseUrl,
      logLevel: "fatal",
      Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
        ...o,
        throttle: { ...(o.throttle as object), enabled: false },
        retry: { enabled: false },
      })),
    });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on("issues.labeled", async (context) => {
          await context.octokit.rest.issues.createComment(context.issue({ body: `Seen ${context.payload.label?.name}` }));
        });
      },
      { probot },
    );
    const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const issue = sim.addIssue("acme", "hooks", { title: "Go", body: "", user: "alice", labels: ["autopack"] });
      const event = sim.events.issueLabeled({ owner: "acme", repo: "hooks", issue, label: "autopack", sender: "alice" });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
      expect((await deliverEvent(url, event, SECRET)).status).toBe(200);
      expect(sim.comments("acme", "hooks", issue).map((c) => [c.body, c.user.login])).toEqual([["Seen autopack", "autopack[bot]"]]);
      expect((await deliverEvent(url, event, "wrong-secret")).status).toBe(400);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
