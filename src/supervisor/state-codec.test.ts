import { describe, expect, it } from "vitest";
import type { Plan } from "../plan/schema.js";
import { newRunState } from "./start-run.js";
import { decodeStateBlock, encodeStateBlock, stateKey } from "./state-codec.js";

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

describe("state block", () => {
  it("round-trips a run's state", () => {
    const block = encodeStateBlock(state, key);
    const decoded = decodeStateBlock(`text before\n${block}\ntext after`, key, 42, 7);
    expect(decoded).toEqual({ ok: true, state });
    expect(block).toMatch(/^<!-- autopack:state v1 [\w-]+\.[\w-]+ -->$/);
  });

  it("refuses a block signed with another key", () => {
    const block = encodeStateBlock(state, stateKey("other secret"));
    expect(decodeStateBlock(block, key, 42, 7)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a block copied to another issue or repository", () => {
    const block = encodeStateBlock(state, key);
    expect(decodeStateBlock(block, key, 42, 8)).toEqual({ ok: false, reason: "bad-signature" });
    expect(decodeStateBlock(block, key, 43, 7)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses an edited payload", () => {
    const block = encodeStateBlock(state, key);
    const tampered = block.replace(/v1 (\w)/, (_m, c: string) => `v1 ${c === "A" ? "B" : "A"}`);
    expect(decodeStateBlock(tampered, key, 42, 7).ok).toBe(false);
  });

  it("says when there is no block", () => {
    expect(decodeStateBlock("just a comment", key, 42, 7)).toEqual({ ok: false, reason: "absent" });
  });
});
