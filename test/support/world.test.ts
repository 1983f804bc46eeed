import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { builderResultBody, runStartBody } from "../../src/autopack-api/bodies.js";
import { createAutopackApi } from "../../src/autopack-api/client.js";
import { purposeId } from "../../src/llm/port.js";
import { STATUS_MARKER } from "../../src/supervisor/status-comment.js";
import { sampleBuild, samplePlan } from "./fake-autopack-api/fixtures.js";
import { simClient } from "./github-sim/client.js";
import { OWNER, REPO } from "./scenario.js";
import { INVARIANTS, startWorld, type Invariant, type World } from "./world.js";

// Built from parts so that no secret scanner takes this file for a leak.
const SECRET = ["ghp", "_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"].join("");
const RUN = "gh-1-1-1";

let w: World | undefined;
afterEach(async () => {
  await w?.close().catch(() => undefined);
  w = undefined;
});

/** What the app would post as a run's status comment, posted straight into the simulator. */
function statusComment(world: World, run: string): void {
  const issue = world.h.sim.addIssue(OWNER, REPO, { title: "Plan", body: "", user: "maintainer" });
  world.h.sim.addComment(OWNER, REPO, issue, { user: world.h.sim.botLogin, body: `${STATUS_MARKER}\nAutopack run \`${run}\`` });
}

/** A phase branch with a commit, and a pull request from it to the default branch. */
function phasePull(world: World, branch = "autopack/1/P1", base = "main"): number {
  world.h.sim.pushCommit(OWNER, REPO, branch, { "a.txt": "a\n" }, "maintainer");
  return world.h.sim.openPull(OWNER, REPO, { head: branch, base, title: "[Autopack P1] One", user: world.h.sim.botLogin });
}

const mirror = (world: World) => createAutopackApi({ baseUrl: world.h.api!.url, retries: 0 });

/** One way to break each invariant, as the app could. */
const breakIt: Record<Invariant, (world: World) => Promise<void>> = {
  "github-openapi": async ({ h }) => {
    await fetch(`${h.sim.baseUrl}/repos/${OWNER}/${REPO}/no-such-endpoint`);
  },
  "model-scripted": async ({ h }) => {
    await fetch(`${h.llm.baseURL}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-client-request-id": purposeId("builder", { runId: RUN, phaseId: "P1", attempt: 1, step: "edit" }),
      },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "edit" }] }),
    });
  },
  "model-purpose": async ({ h }) => {
    h.llm.reply({ text: "ok" });
    await fetch(`${h.llm.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "what for?" }] }),
    });
  },
  "mirror-bodies-valid": async ({ h }) => {
    await fetch(`${h.api!.url}/runs/start`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  },
  "mirror-outcome-once": async (world) => {
    statusComment(world, RUN);
    const api = mirror(world);
    await api.send({ op: "start", runId: RUN, body: runStartBody(RUN, samplePlan()) });
    const body = builderResultBody({ runId: RUN, phaseId: "P1", outcome: sampleBuild(), attempt: 1 });
    for (let i = 0; i < 2; i++) await api.send({ op: "builder_result", runId: RUN, phaseId: "P1", body });
  },
  "one-status-comment": async (world) => {
    statusComment(world, RUN);
    const issue = world.h.sim.issues(OWNER, REPO).at(-1)!.number;
    world.h.sim.addComment(OWNER, REPO, issue, { user: world.h.sim.botLogin, body: `${STATUS_MARKER}\nAutopack run \`${RUN}\`` });
  },
  "one-open-pr-per-branch": async (world) => {
    world.h.sim.setBranch(OWNER, REPO, "next", world.h.sim.branchHead(OWNER, REPO, "main"));
    phasePull(world);
    world.h.sim.openPull(OWNER, REPO, { head: "autopack/1/P1", base: "next", title: "again", user: world.h.sim.botLogin });
  },
  "reviews-pinned": async (world) => {
    const pull = phasePull(world);
    await simClient(world.h.sim).rest.pulls.createReview({ owner: OWNER, repo: REPO, pull_number: pull, event: "COMMENT", body: "Fine." });
  },
  "no-secrets": async (world) => {
    const issue = world.h.sim.addIssue(OWNER, REPO, { title: "Plan", body: "", user: "maintainer" });
    await simClient(world.h.sim).rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issue, body: `Saw\n${SECRET}` });
  },
};

describe("the world's invariants", () => {
  it.each(Object.keys(INVARIANTS) as Invariant[])("reports %s when it is broken; a test may opt out of exactly that one", async (name) => {
    w = await startWorld();
    expect(w.violations()).toEqual([]);
    await breakIt[name](w);
    expect(w.violations().map((v) => v.invariant)).toEqual([name]);
    await expect(w.close()).rejects.toThrow(`- ${name}: `);

    w = await startWorld({ allow: [name] });
    await breakIt[name](w);
    await w.close();
  });

  it("holds in a world where nothing happened, and an opt-out of an invariant that held fails the test", async () => {
    w = await startWorld({ allow: ["no-secrets"] });
    expect(w.violations()).toEqual([]);
    await expect(w.close()).rejects.toThrow("no-secrets: allowed to break, but it held");
  });

  it("finds a secret inside the run's state block and in a mirrored body", async () => {
    w = await startWorld();
    const payload = gzipSync(JSON.stringify({ pending: [{ body: { notes: `line\n${SECRET}` } }] })).toString("base64url");
    const issue = w.h.sim.addIssue(OWNER, REPO, { title: "Plan", body: "", user: "maintainer" });
    const gh = simClient(w.h.sim);
    const block = (p: string) => `${STATUS_MARKER}\nAutopack run \`${RUN}\`\n<!-- autopack:state v1 ${p}.mac -->`;
    const { data } = await gh.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issue, body: block(payload) });
    // A block that cannot be read cannot be checked: that is reported too.
    await gh.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: data.id, body: block("bm90LWd6aXA") });
    const plan = samplePlan();
    plan.tiers[0]!.description = `key ${SECRET}`;
    await mirror(w).send({ op: "start", runId: RUN, body: runStartBody(RUN, plan) });
    expect(w.violations().map((v) => [v.invariant, v.message])).toEqual([
      ["no-secrets", `POST /repos/${OWNER}/${REPO}/issues/${issue}/comments sent GitHub a secret-shaped string`],
      [
        "no-secrets",
        `PATCH /repos/${OWNER}/${REPO}/issues/comments/${data.id} sent GitHub a state block that could not be read to look for secrets`,
      ],
      ["no-secrets", "POST /runs/start mirrored a secret-shaped string"],
    ]);
    w.allow("no-secrets");
    await w.close();
  });
});
