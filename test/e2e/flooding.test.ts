import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";
import { deliverWebhook } from "../support/webhooks.js";
import { WEBHOOK_SECRET } from "../support/harness.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

let w: World;
let h: Harness;

async function world(options: WorldOptions = {}) {
  w = await startWorld({ people: { reader: "read" }, ...options });
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

/** The app's calls to GitHub per verb since `before` (a snapshot of `h.calls.all()`). */
function since(before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(h.calls.all())
      .map(([verb, n]) => [verb, n - (before[verb] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/** A fork of acme/widgets, as a pull request's `head.repo` names it. */
const FORK = { id: 999_001, name: "widgets", full_name: "mallory/widgets", owner: { login: "mallory", type: "User" } };

describe("flooding and the installation's GitHub budget", () => {
  it("drops pull request and check events about a fork's head named like a phase branch, before any request", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [{ summary: "a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }] },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const pr = s.pull(issue, "P1");
    // A fork names its branch like the phase's, and pushes, opens and checks pull requests from it.
    const sync = h.sim.events.pullRequestSynchronize({ owner: OWNER, repo: REPO, pull: pr.number, before: pr.head.sha, sender: "mallory" });
    const forked = structuredClone(sync.payload) as unknown as { pull_request: { head: { repo: unknown } } };
    forked.pull_request.head.repo = FORK;
    const check = h.sim.addCheckRun(OWNER, REPO, pr.head.sha, { name: "test", status: "completed", conclusion: "success" });
    const run = h.sim.events.checkRunCompleted({ owner: OWNER, repo: REPO, checkRun: check });
    const forkRun = structuredClone(run.payload) as unknown as { check_run: { pull_requests: { head: { repo: unknown } }[] } };
    for (const p of forkRun.check_run.pull_requests) p.head.repo = FORK;
    const noPulls = structuredClone(run.payload) as unknown as { check_run: { pull_requests: unknown[] } };
    noPulls.check_run.pull_requests = [];
    const suite = h.sim.events.checkSuiteCompleted({ owner: OWNER, repo: REPO, sha: pr.head.sha });
    const forkSuite = structuredClone(suite.payload) as unknown as { check_suite: { pull_requests: unknown[] } };
    forkSuite.check_suite.pull_requests = [];

    const before = h.calls.all();
    const requests = h.sim.requests.length;
    expect(await h.send("pull_request", forked)).toBe(200);
    expect(await h.send("check_run", forkRun)).toBe(200);
    expect(await h.send("check_run", noPulls)).toBe(200);
    expect(await h.send("check_suite", forkSuite)).toBe(200);
    expect(since(before)).toEqual({});
    expect(h.sim.requests.length).toBe(requests);

    // The same events about the phase's own head are looked at.
    await h.send(run.name, run.payload);
    expect(since(before)["comments"]).toBe(1);
  });

  it("answers someone without write access once per issue, however often they ask, without loading the run", async () => {
    const s = await world({ hold: true });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const before = h.calls.all();
    for (let i = 0; i < 6; i++) await s.comment(issue, "/autopack retry", "reader");
    // GitHub is asked about the reader once, the issue's comments are read once to find an earlier
    // reply, and one reply is written: no run is loaded (no repository, configuration or PR read).
    // (`repo` and `appIdentity` are asked of the door, not of GitHub: the app's identity is known.)
    expect(since(before)).toEqual({ installation: 1, repo: 1, appIdentity: 1, collaboratorPermission: 1, ensureComment: 1 });
    expect(h.calls.of("createComment") + h.calls.of("updateComment")).toBeLessThanOrEqual(2);
    const replies = s.botComments(issue).filter((c) => c.body?.includes("only people with write access"));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("@reader");
  });

  it("takes the webhook's word that someone has no access to a user's repository, and never asks GitHub about them", async () => {
    const s = await world({ hold: true });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const before = h.calls.all();
    // A stranger to acme's repository: the payload's author_association is NONE.
    for (let i = 0; i < 4; i++) await s.comment(issue, "/autopack cancel", "stranger");
    expect(since(before)).toEqual({ installation: 1, repo: 1, appIdentity: 1, ensureComment: 1 });
    expect(s.botComments(issue).filter((c) => c.body?.includes("Sorry @stranger"))).toHaveLength(1);
    expect(s.status(issue)).not.toContain("Cancelled");
  });

  it("makes one reconcile of the events of one issue that arrive while another reconcile runs", async () => {
    const s = await world();
    scriptAgents(h.llm, { builds: { P1: [{ summary: "a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }] } });
    h.sim.addCheckRun(OWNER, REPO, h.sim.branchHead(OWNER, REPO, "main")!, { name: "test", status: "completed", conclusion: "success" });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    const pr = s.pull(issue, "P1");
    const check = h.sim.addCheckRun(OWNER, REPO, pr.head.sha, { name: "test", status: "in_progress" });
    const event = h.sim.events.checkRunCompleted({ owner: OWNER, repo: REPO, checkRun: check });
    // Each reconcile is slow to read the issue's comments; 20 deliveries arrive meanwhile.
    h.sim.fault({ method: "GET", path: /\/issues\/\d+\/comments/, delayMs: 150, times: 100 });
    const before = h.calls.all();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => deliverWebhook(h.webhookUrl, event.name, event.payload, WEBHOOK_SECRET, `flood-${i}`)),
    );
    await h.settle();
    // The first runs; the rest wait behind it and are one.
    expect(since(before)["comments"]).toBeLessThanOrEqual(2);
    expect(s.status(issue)).toContain("waiting for checks");
  });
});
