import { describe, expect, it } from "vitest";
import type { Plan } from "../plan/schema.js";
import { decide } from "./decide.js";
import { DEFAULT_REPO_CONFIG } from "../config/repo-config.js";
import type { RunState } from "./run-state.js";
import { newRunState } from "./start-run.js";
import { decodeStateBlock, encodeV1StateBlock, stateKey } from "./state-codec.js";
import { phaseStateOf } from "./transitions.js";

const plan: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 1_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "One", description: "" }],
  phases: [
    { phase_id: "P1", phase_index: 0, tier_id: "T1", name: "a", description: "", scope: [], acceptance: [] },
    { phase_id: "P2", phase_index: 1, tier_id: "T1", name: "b", description: "", scope: [], acceptance: [] },
  ],
};
const key = stateKey("secret");
const now = new Date("2026-01-01T00:00:00Z");

/** The state as a v1 block held it: each phase with the orchestrator's state beside its step, and the mirror's flag. */
function asV1(state: RunState, mirrorOn: boolean): unknown {
  return {
    ...state,
    v: 1,
    phases: Object.fromEntries(Object.entries(state.phases).map(([id, rec]) => [id, { state: phaseStateOf(rec.step), ...rec }])),
    mirror: { enabled: mirrorOn, ...state.mirror },
  };
}

describe("state blocks written before the step was stored once (v1)", () => {
  it("load as the current state, with their mirror calls typed and the run going on from where it was", () => {
    const started = decide({
      state: newRunState({ plan, repoId: 5, issue: 3, n: 1, startedBy: "alice", now }),
      event: { type: "observe" },
      observations: { phases: {} },
      config: DEFAULT_REPO_CONFIG,
      now,
    }).state;
    const block = encodeV1StateBlock(asV1(started, true) as RunState, key);
    const loaded = decodeStateBlock(block, key, 5, 3, 77);
    expect(loaded).toEqual({ ok: true, format: "v1", state: started });
    if (!loaded.ok) return;
    expect(loaded.state.v).toBe(2);
    expect(loaded.state.phases["P1"]).not.toHaveProperty("state");
    expect(loaded.state.mirror.pending.map((c) => c.op)).toEqual(["start"]);
  });

  it("refuses a v1 block whose stored mirror call does not match its operation's body", () => {
    const state = newRunState({ plan, repoId: 5, issue: 3, n: 1, startedBy: "alice", now });
    const v1 = asV1(state, true) as { mirror: { pending: unknown[] } };
    v1.mirror.pending = [{ op: "builder_result", runId: state.run_id, phaseId: "P1", body: { what: "not a builder result" } }];
    expect(decodeStateBlock(encodeV1StateBlock(v1 as unknown as RunState, key), key, 5, 3, 77)).toEqual({ ok: false, reason: "malformed" });
  });
});
