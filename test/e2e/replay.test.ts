import { afterEach, describe, expect, it } from "vitest";
import { decodeStateBlock, encodeV1StateBlock, stateKey } from "../../src/supervisor/state-codec.js";
import { newRunState } from "../../src/supervisor/start-run.js";
import { parsePlan } from "../../src/plan/parse-plan.js";
import { WEBHOOK_SECRET, type Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";
import { startWorld, type World } from "../support/world.js";

let w: World;
let h: Harness;

afterEach(() => w.close());

const key = stateKey(WEBHOOK_SECRET);
/** GitHub's time `minutes` from now, to the second as it writes it. */
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A one-phase run started, its build held back; with its status comment. */
async function startedRun() {
  w = await startWorld({ hold: true, people: { reader: "read" } });
  h = w.h;
  const s = w.s;
  scriptAgents(h.llm, {
    builds: { P1: [{ summary: "a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }] },
    audits: { P1: [{ recommendation: "approve" }] },
  });
  const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
  const status = s.botComments(issue).find((c) => c.body?.includes("Autopack run `gh-"))!;
  return { s, issue, status };
}

/** A one-phase run taken to its approval, with the status comment's body as it was when the run started. */
async function approvedRun() {
  const { s, issue, status } = await startedRun();
  const early = status.body!;
  expect(early).toContain("executing · building");
  await h.release();
  expect(s.status(issue)).toContain("approved, waiting for merge");
  return { s, issue, statusId: status.id, early };
}

/** What a refused status comment leaves: no new work, the comment as it was put, and one note saying why. */
function expectRefused(issue: number, statusId: number, body: string, modelRequests: number, why: string) {
  expect(h.sim.comment(OWNER, REPO, statusId)?.body).toBe(body);
  expect(h.llm.requests).toHaveLength(modelRequests);
  const notes = w.s.botComments(issue).filter((c) => c.body?.includes("autopack:state-refused"));
  expect(notes).toHaveLength(1);
  expect(notes[0]!.body).toContain(why);
}

describe("an earlier state block put back into the status comment", () => {
  it("is refused when the comment was edited after Autopack last wrote it, even by a process that never wrote it", async () => {
    const { s, issue, statusId, early } = await approvedRun();
    const requests = h.llm.requests.length;
    // A new process (it remembers nothing), and someone pastes the run's first block back, later on.
    await h.restart(false);
    h.sim.editComment(OWNER, REPO, statusId, early, { at: inMinutes(11) });
    const command = await s.comment(issue, "/autopack status", "maintainer");
    expectRefused(issue, statusId, early, requests, "it was edited after Autopack last wrote it");
    expect(
      h.sim
        .reactions(OWNER, REPO, command)
        .map((r) => r.content)
        .sort(),
    ).toEqual(["confused", "eyes"]);
    // Events change nothing either.
    const pr = s.pull(issue, "P1");
    const closed = h.sim.events.pullRequestSynchronize({
      owner: OWNER,
      repo: REPO,
      pull: pr.number,
      before: pr.head.sha,
      sender: "maintainer",
    });
    await h.send(closed.name, closed.payload);
    expectRefused(issue, statusId, early, requests, "it was edited after Autopack last wrote it");
  });

  it("is refused at once by the process that wrote a later revision", async () => {
    const { s, issue, statusId, early } = await approvedRun();
    const requests = h.llm.requests.length;
    h.sim.editComment(OWNER, REPO, statusId, early);
    await s.comment(issue, "/autopack status", "maintainer");
    expectRefused(issue, statusId, early, requests, "older than revision");
  });

  it("does not count when moved into another of Autopack's comments", async () => {
    const { s, issue, statusId, early } = await approvedRun();
    const requests = h.llm.requests.length;
    const current = h.sim.comment(OWNER, REPO, statusId)!.body!;
    // The app answers someone without access: a comment of its own, later than the status comment.
    await s.comment(issue, "/autopack retry", "reader");
    const reply = s.botComments(issue).find((c) => c.body?.includes("Sorry @reader"))!;
    // A new process (nothing in memory, no work remembered), and the run's first block pasted into the reply.
    await h.restart(false);
    h.sim.editComment(OWNER, REPO, reply.id, early);
    // (The reply now looks like a second status comment: that is the point.)
    w.allow("one-status-comment");
    await s.comment(issue, "/autopack status", "maintainer");
    // The real status comment still speaks for the run: nothing is built again, the copy is left alone.
    expect(h.llm.requests).toHaveLength(requests);
    expect(h.sim.comment(OWNER, REPO, reply.id)!.body).toBe(early);
    expect(h.sim.comment(OWNER, REPO, statusId)!.body).toContain("approved, waiting for merge");
    expect(current).toContain("approved, waiting for merge");
    expect(s.botComments(issue).filter((c) => c.body?.includes("autopack:state-refused"))).toEqual([]);
  });
});

describe("a status comment in the old (v1) block format", () => {
  it("loads once, is rewritten bound to its comment and sealed, and its old block put back is refused", async () => {
    w = await startWorld({ hold: true });
    h = w.h;
    const s = w.s;
    const body = yamlPlan({ T1: [["P1", "One"]] });
    const issue = h.sim.addIssue(OWNER, REPO, { title: "Plan", body, user: "maintainer", labels: ["autopack"] });
    const parsed = parsePlan(body);
    if (!parsed.ok) throw new Error("plan");
    const repoId = h.sim.repository(OWNER, REPO).id;
    const state = newRunState({ plan: parsed.plan, repoId, issue, n: 1, startedBy: "maintainer", now: new Date() });
    state.mirror.pending = [];
    // What an earlier version of the app wrote.
    const legacy = `<!-- autopack:status -->\n### Autopack run \`${state.run_id}\`: Running\n\n${encodeV1StateBlock(state, key)}`;
    const statusId = h.sim.addComment(OWNER, REPO, issue, { body: legacy, user: h.sim.botLogin });

    await s.comment(issue, "/autopack status", "maintainer");
    const rewritten = h.sim.comment(OWNER, REPO, statusId)!.body!;
    expect(rewritten).toMatch(/<!-- autopack:state v2 /);
    expect(decodeStateBlock(rewritten, key, repoId, issue, statusId)).toMatchObject({
      ok: true,
      format: "v2",
      binding: { commentId: statusId },
    });
    expect(h.sim.reactions(OWNER, REPO, statusId).map((r) => [r.content, r.user.login])).toEqual([["eyes", h.sim.botLogin]]);
    // The run went on: its phase is being built (held here).
    expect(h.held.map((j) => j.job.kind)).toEqual(["build"]);

    // The old block, put back, is not read again.
    h.sim.editComment(OWNER, REPO, statusId, legacy);
    await s.comment(issue, "/autopack status", "maintainer");
    expectRefused(issue, statusId, legacy, 0, "it holds a block of the old format after Autopack rewrote it");
  });
});

describe("a read of the status comment that crossed Autopack's own write of it", () => {
  it.each([
    ["is read again, and the work goes on", 1],
    ["is tried again later while GitHub still answers with the older comment, and the work goes on", 2],
  ])("%s", async (_, staleAnswers) => {
    const { s, issue, status } = await startedRun();
    const before = structuredClone(h.sim.comments(OWNER, REPO, issue));
    // Autopack writes the status comment again (a command's answer), and the build job's first read
    // of the comments was on its way meanwhile: GitHub answers it with the comments as they were before.
    await s.comment(issue, "/autopack status", "maintainer");
    expect(h.sim.comment(OWNER, REPO, status.id)!.body).not.toBe(before.find((c) => c.id === status.id)!.body);
    h.sim.fault({
      method: "GET",
      path: new RegExp(`^/repos/${OWNER}/${REPO}/issues/${issue}/comments$`),
      status: 200,
      body: before,
      times: staleAnswers,
    });
    await h.release();
    expect(s.status(issue)).toContain("approved, waiting for merge");
    expect(s.botComments(issue).filter((c) => c.body?.includes("autopack:state-refused"))).toEqual([]);
  });
});
