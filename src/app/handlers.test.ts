import pino from "pino";
import { Probot } from "probot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGitHubSim, type GitHubSim } from "../../test/support/github-sim/index.js";
import { Refusals } from "../supervisor/refusals.js";
import type { AppQueue, AppQueuedJob } from "../supervisor/jobs.js";
import { registerHandlers } from "./handlers.js";

/** What the handlers do with a comment, seen from outside: what they queue and what they log. */

const OWNER = "acme";
const REPO = "widgets";

let sim: GitHubSim;
let issue: number;
let queued: AppQueuedJob[];
let lines: { level: number; msg: string; event?: string; issues?: string[] }[];
let refusals: Refusals;
let probot: Probot;

beforeAll(async () => {
  sim = await startGitHubSim();
  sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
  issue = sim.addIssue(OWNER, REPO, { title: "Plan", body: "x", user: "maintainer" });
});

afterAll(() => sim.close());

beforeEach(() => {
  queued = [];
  lines = [];
  refusals = new Refusals();
  const queue: AppQueue = {
    enqueue: async (item) => void queued.push(item),
    depth: async () => ({ waiting: queued.length, delayed: 0, running: 0 }),
    drain: async () => undefined,
    close: async () => undefined,
  };
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  probot = new Probot({ appId: sim.appId, privateKey: sim.privateKey, secret: "s", baseUrl: sim.baseUrl, log });
  registerHandlers(probot, queue, sim.appId, refusals);
});

/** A comment's `issue_comment.created` payload; `association` is what GitHub says of its author. */
function commented(body: string, user: string, association = "NONE") {
  const comment = sim.addComment(OWNER, REPO, issue, { body, user });
  const event = sim.events.issueCommentCreated({ owner: OWNER, repo: REPO, comment });
  const payload = structuredClone(event.payload) as unknown as Record<string, Record<string, unknown>>;
  payload["comment"]!["author_association"] = association;
  return payload;
}

let deliveries = 0;
const deliver = (payload: unknown) =>
  probot.receive({ id: `delivery-${++deliveries}`, name: "issue_comment", payload } as Parameters<Probot["receive"]>[0]);

const warnings = () => lines.filter((l) => l.msg === "webhook ignored: missing fields");

describe("a comment delivered to the app", () => {
  it("without a command is acknowledged and queues nothing, however the rest of it looks", async () => {
    await deliver(commented("Looks good to me, thanks!", "maintainer", "OWNER"));
    const odd = commented("Mentioning autopack without its slash", "maintainer", "OWNER");
    delete odd["installation"];
    await deliver(odd);
    expect(queued).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it("with a command but without the fields the app relies on is reported, naming the field, and queues nothing", async () => {
    const payload = commented("/autopack status", "maintainer", "OWNER");
    delete payload["installation"];
    await deliver(payload);
    const noBody = commented("/autopack status", "maintainer", "OWNER");
    noBody["comment"]!["body"] = 42;
    await deliver(noBody);
    expect(queued).toEqual([]);
    expect(warnings().map((w) => [w.event, w.issues?.[0]?.split(":")[0]])).toEqual([
      ["issue_comment.created", "installation"],
      ["issue_comment.created", "comment.body"],
    ]);
  });

  it("with a command from someone with write access is queued, every time", async () => {
    await deliver(commented("/autopack status", "maintainer", "OWNER"));
    await deliver(commented("/autopack retry P1", "maintainer", "OWNER"));
    expect(queued.map((q) => q.job.kind === "intent" && q.job.intent)).toMatchObject([
      { type: "command", sender: "maintainer", body: "/autopack status" },
      { type: "command", sender: "maintainer", body: "/autopack retry P1" },
    ]);
    expect(queued.map((q) => q.job.kind === "intent" && q.job.intent.type === "command" && q.job.intent.outsider)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("with a command from someone without write access is queued until they have had their reply, then queues nothing", async () => {
    await deliver(commented("/autopack cancel", "passer-by"));
    expect(queued).toHaveLength(1);
    expect(queued[0]!.job).toMatchObject({ kind: "intent", intent: { type: "command", sender: "passer-by", outsider: true } });
    // The worker answers them once on this issue.
    refusals.noteAnswered({ owner: OWNER, repo: REPO, issue }, "passer-by");
    for (let i = 0; i < 3; i++) await deliver(commented("/autopack cancel", "passer-by"));
    expect(queued).toHaveLength(1);
    // Someone else, and the same person on another issue, are not affected.
    await deliver(commented("/autopack cancel", "someone-else"));
    expect(queued.map((q) => q.job.kind === "intent" && q.job.intent.sender)).toEqual(["passer-by", "someone-else"]);
  });

  it("from someone GitHub refused a moment ago, who has had their reply, queues nothing", async () => {
    // Someone the payload's word does not rule out (a contributor), whom the permission gate refused a moment ago.
    refusals.noteRefused({ owner: OWNER, repo: REPO }, "reader");
    await deliver(commented("/autopack cancel", "reader", "CONTRIBUTOR"));
    expect(queued).toHaveLength(1);
    refusals.noteAnswered({ owner: OWNER, repo: REPO, issue }, "reader");
    await deliver(commented("/autopack cancel", "reader", "CONTRIBUTOR"));
    expect(queued).toHaveLength(1);
  });

  it("with a command from a bot queues nothing", async () => {
    await deliver(commented("/autopack retry", "helper[bot]", "OWNER"));
    expect(queued).toEqual([]);
  });
});

describe("a phase PR closed", () => {
  const deliverPull = (payload: unknown) =>
    probot.receive({ id: `delivery-${++deliveries}`, name: "pull_request", payload } as Parameters<Probot["receive"]>[0]);
  const phasePull = (phase: string) => {
    sim.pushCommit(OWNER, REPO, `autopack/${issue}/${phase}`, { [`${phase}.txt`]: "x\n" }, "maintainer");
    return sim.openPull(OWNER, REPO, { head: `autopack/${issue}/${phase}`, title: phase, user: "maintainer" });
  };

  it("merged: the run's issue is reconciled, carrying the merge and its head, which are final", async () => {
    const pull = phasePull("P1");
    const head = sim.branchHead(OWNER, REPO, `autopack/${issue}/P1`)!;
    sim.mergePull(OWNER, REPO, pull, "maintainer");
    await deliverPull(sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull, sender: "maintainer" }).payload);
    expect(queued.map((q) => q.job)).toMatchObject([{ kind: "reconcile", target: { issue }, merged: { pr: pull, headSha: head } }]);
  });

  it("closed unmerged, or reopened: reconciled without it (the PR may change again and is read)", async () => {
    const pull = phasePull("P2");
    sim.closePull(OWNER, REPO, pull, "maintainer");
    const closed = sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull, sender: "maintainer" }).payload;
    expect(closed.pull_request).toMatchObject({ merged: false });
    await deliverPull(closed);
    await deliverPull({ ...closed, action: "reopened" });
    expect(queued).toHaveLength(2);
    for (const q of queued) expect(q.job).not.toHaveProperty("merged");
  });
});
