import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NAME, OWNER, startAuditWorld, type AuditWorld } from "../auditor/fixtures/audit-world.js";
import { simClient } from "../../test/support/github-sim/client.js";
import { authenticatedApp, MAX_OUTPUT_CHARS } from "./check-runs.js";
import { AUDIT_CHECK_NAME } from "./door.js";

let world: AuditWorld;

beforeEach(async () => {
  world = await startAuditWorld();
});

afterEach(async () => {
  world.sim.assertClean();
  await world.close();
});

describe("authenticatedApp", () => {
  it("asks GitHub who the app is, once per client", async () => {
    const gh = simClient(world.sim);
    expect(await authenticatedApp(gh)).toEqual({ id: world.sim.appId, slug: world.sim.appSlug });
    await authenticatedApp(gh);
    expect(world.sim.requests.filter((r) => r.method === "GET" && r.path === "/app")).toHaveLength(1);
  });
});

describe("the audit check run", () => {
  it("reuses the app's running check run on the commit, ignores other apps', and creates a new one once it is done", async () => {
    const sha = world.push({ "src/a.ts": "a\n" });
    const ci = world.sim.addCheckRun(OWNER, NAME, sha, { name: AUDIT_CHECK_NAME, status: "in_progress" });
    const { id: first, fresh } = await world.github.ensureAuditCheckRun(sha, { externalId: "run/P1/1" });
    expect(first).not.toBe(ci);
    expect(fresh).toBe(true);
    // The same audit again (a retried job): its running check run, and not fresh.
    expect(await world.github.ensureAuditCheckRun(sha, { externalId: "run/P1/1" })).toEqual({ id: first, fresh: false });
    expect(world.sim.checkRun(OWNER, NAME, first)).toMatchObject({
      name: AUDIT_CHECK_NAME,
      status: "in_progress",
      external_id: "run/P1/1",
      head_sha: sha,
    });

    await world.github.completeAuditCheckRun(first, { conclusion: "success", title: "Approved", summary: "All good.", text: "" });
    expect(world.sim.checkRun(OWNER, NAME, first)).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: expect.objectContaining({ title: "Approved", summary: "All good." }),
    });
    // Done, the same audit gets a new check run, still not fresh (what it posted may be on the PR); the next audit is fresh.
    const again = await world.github.ensureAuditCheckRun(sha, { externalId: "run/P1/1" });
    expect(again.id).not.toBe(first);
    expect(again.fresh).toBe(false);
    expect((await world.github.ensureAuditCheckRun(sha, { externalId: "run/P1/2" })).fresh).toBe(true);
  });

  it("cuts a summary and text over GitHub's limit without splitting a character", async () => {
    const sha = world.push({ "src/a.ts": "a\n" });
    const { id } = await world.github.ensureAuditCheckRun(sha);
    const huge = "😀".repeat(40_000);
    await world.github.completeAuditCheckRun(id, { conclusion: "failure", title: "Changes needed: 1 major", summary: huge, text: huge });
    const output = world.sim.checkRun(OWNER, NAME, id)?.output;
    expect(output?.summary?.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(output?.text?.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(output?.summary).toMatch(/😀\n\n… \(truncated\)$/);
  });
});
