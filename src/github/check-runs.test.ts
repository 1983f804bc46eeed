import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NAME, OWNER, startAuditWorld, type AuditWorld } from "../auditor/fixtures/audit-world.js";
import { AUDIT_CHECK_NAME, authenticatedApp, completeAuditCheckRun, ensureAuditCheckRun, MAX_OUTPUT_CHARS } from "./check-runs.js";

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
    expect(await authenticatedApp(world.gh)).toEqual({ id: world.sim.appId, slug: world.sim.appSlug });
    await authenticatedApp(world.gh);
    expect(world.sim.requests.filter((r) => r.method === "GET" && r.path === "/app")).toHaveLength(1);
  });
});

describe("ensureAuditCheckRun / completeAuditCheckRun", () => {
  it("reuses the app's running check run on the commit, ignores other apps', and creates a new one once it is done", async () => {
    const sha = world.push({ "src/a.ts": "a\n" });
    const ci = world.sim.addCheckRun(OWNER, NAME, sha, { name: AUDIT_CHECK_NAME, status: "in_progress" });
    const first = await ensureAuditCheckRun(world.gh, world.repo, sha, { externalId: "run/P1/1" });
    expect(first).not.toBe(ci);
    expect(await ensureAuditCheckRun(world.gh, world.repo, sha)).toBe(first);
    expect(world.sim.checkRun(OWNER, NAME, first)).toMatchObject({
      name: AUDIT_CHECK_NAME,
      status: "in_progress",
      external_id: "run/P1/1",
      head_sha: sha,
    });

    await completeAuditCheckRun(world.gh, world.repo, first, "success", "Approved", "All good.", "");
    expect(world.sim.checkRun(OWNER, NAME, first)).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: expect.objectContaining({ title: "Approved", summary: "All good." }),
    });
    const next = await ensureAuditCheckRun(world.gh, world.repo, sha);
    expect(next).not.toBe(first);
  });

  it("cuts a summary and text over GitHub's limit without splitting a character", async () => {
    const sha = world.push({ "src/a.ts": "a\n" });
    const id = await ensureAuditCheckRun(world.gh, world.repo, sha);
    const huge = "😀".repeat(40_000);
    await completeAuditCheckRun(world.gh, world.repo, id, "failure", "Changes needed: 1 major", huge, huge);
    const output = world.sim.checkRun(OWNER, NAME, id)?.output;
    expect(output?.summary?.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(output?.text?.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(output?.summary).toMatch(/😀\n\n… \(truncated\)$/);
  });
});
