import { describe, expect, it } from "vitest";
import type { Plan } from "../plan/schema.js";
import { newRunState } from "./start-run.js";
import { decodeStateBlock, encodeStateBlock, encodeV1StateBlock, stateKey } from "./state-codec.js";

const plan: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 5_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "One", description: "" }],
  phases: [{ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "First", description: "Do it", scope: [], acceptance: [] }],
};
const key = stateKey("secret");
const state = newRunState({
  plan,
  repoId: 42,
  issue: 7,
  n: 1,
  startedBy: "maintainer",
  now: new Date("2026-01-01T00:00:00Z"),
});
const binding = { commentId: 9001, rev: 3, writtenAt: "2026-01-01T00:05:00.000Z" };

describe("state block", () => {
  it("round-trips a run's state with the comment, revision and time it was written for", () => {
    const block = encodeStateBlock(state, key, binding);
    const decoded = decodeStateBlock(`text before\n${block}\ntext after`, key, 42, 7, 9001);
    expect(decoded).toEqual({ ok: true, format: "v2", state, binding });
    expect(block).toMatch(/^<!-- autopack:state v2 [\w-]+\.[\w-]+ -->$/);
  });

  it("refuses a block signed with another key", () => {
    const block = encodeStateBlock(state, stateKey("other secret"), binding);
    expect(decodeStateBlock(block, key, 42, 7, 9001)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a block copied to another issue or repository", () => {
    const block = encodeStateBlock(state, key, binding);
    expect(decodeStateBlock(block, key, 42, 8, 9001)).toEqual({ ok: false, reason: "bad-signature" });
    expect(decodeStateBlock(block, key, 43, 7, 9001)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a block moved to another comment", () => {
    const block = encodeStateBlock(state, key, binding);
    expect(decodeStateBlock(block, key, 42, 7, 9002)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("reads a block written before its comment had an id as bound to comment 0, in any comment", () => {
    const block = encodeStateBlock(state, key, { ...binding, commentId: 0, rev: 0 });
    expect(decodeStateBlock(block, key, 42, 7, 9002)).toMatchObject({ ok: true, binding: { commentId: 0, rev: 0 } });
  });

  it("refuses an edited payload, revision included", () => {
    const block = encodeStateBlock(state, key, binding);
    const tampered = block.replace(/v2 (\w)/, (_m, c: string) => `v2 ${c === "A" ? "B" : "A"}`);
    expect(decodeStateBlock(tampered, key, 42, 7, 9001).ok).toBe(false);
    const otherRev = encodeStateBlock(state, key, { ...binding, rev: 4 });
    const spliced = block.replace(/\.[\w-]+ -->$/, otherRev.slice(otherRev.lastIndexOf(".")));
    expect(decodeStateBlock(spliced, key, 42, 7, 9001)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("still reads the v1 format, which is bound to no comment", () => {
    const block = encodeV1StateBlock(state, key);
    expect(block).toMatch(/^<!-- autopack:state v1 /);
    expect(decodeStateBlock(block, key, 42, 7, 1)).toEqual({ ok: true, format: "v1", state });
    expect(decodeStateBlock(block, key, 42, 8, 1)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("says when there is no block", () => {
    expect(decodeStateBlock("just a comment", key, 42, 7, 1)).toEqual({ ok: false, reason: "absent" });
  });
});
