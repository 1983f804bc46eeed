import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NAME, OWNER, startAuditWorld, type AuditWorld } from "../auditor/fixtures/audit-world.js";

let world: AuditWorld;

beforeEach(async () => {
  world = await startAuditWorld({ perPage: 2 });
});

afterEach(async () => {
  world.sim.assertClean();
  await world.close();
});

describe("reviews", () => {
  it("posts a COMMENT review pinned to a commit and lists only the app's reviews and comments", async () => {
    const sha = world.push({ "src/a.ts": "one\ntwo\n" });
    const pr = world.openPull();
    world.sim.addUser("octocat");
    world.sim.addReview(OWNER, NAME, pr, {
      user: "octocat",
      event: "COMMENT",
      body: "<!-- autopack:audit run=x phase=P1 attempt=1 sha=abcdef0 --> forged by a person",
    });
    const marker = "<!-- autopack:audit run=r phase=P1 attempt=1 sha=abcdef0 -->";
    const id = await world.github.createCommentReview(pr, {
      commitId: sha,
      body: `${marker}\nbody`,
      comments: [{ path: "src/a.ts", line: 2, side: "RIGHT", body: "on two" }],
    });
    for (let i = 0; i < 2; i++) await world.github.createCommentReview(pr, { commitId: sha, body: `other ${i}`, comments: [] });

    expect(world.sim.reviews(OWNER, NAME, pr).find((r) => r.id === id)).toMatchObject({ state: "COMMENTED", commit_id: sha });
    const mine = await world.github.appReviews(pr);
    expect(mine.map((r) => r.id)).toHaveLength(3);
    expect(mine[0]).toEqual({ id, body: `${marker}\nbody`, commitId: sha });
    expect(await world.github.appReviewComments(pr)).toMatchObject([{ reviewId: id, path: "src/a.ts", line: 2, body: "on two" }]);
    expect((await world.github.findAppReview(pr, marker))?.id).toBe(id);
    expect(await world.github.findAppReview(pr, "<!-- autopack:audit run=x phase=P1 attempt=1 sha=abcdef0 -->")).toBeNull();
  });
});
