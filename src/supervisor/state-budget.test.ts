import { describe, expect, it } from "vitest";
import { builderResultCall, withProbeResults } from "../autopack-api/calls.js";
import type { Plan } from "../plan/schema.js";
import { fitStatus } from "./state-budget.js";
import { newRunState } from "./start-run.js";
import type { RunState } from "./run-state.js";

const plan: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 5_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "One", description: "" }],
  phases: ["P1", "P2"].map((id, i) => ({
    phase_id: id,
    phase_index: i,
    tier_id: "T1",
    name: id,
    description: "d",
    scope: [],
    acceptance: [],
  })),
};

/** A record as big as its parts: what a test renders is the record's JSON. */
const render = (state: RunState) => JSON.stringify(state);

function bigRun(): RunState {
  const state = newRunState({ plan, repoId: 1, issue: 9, n: 1, startedBy: "alice", now: new Date("2026-01-01T00:00:00Z") });
  const probes = [
    { probe_type: "check_run:test", exit_code: 1, stdout: "o".repeat(3_000), stderr: "e".repeat(3_000), duration_seconds: 1 },
  ];
  for (const id of ["P1", "P2"]) {
    const call = withProbeResults(
      builderResultCall(state.run_id, id, { phase_id: id, run_id: state.run_id, status: "success", patch_content: "+".repeat(20_000) }),
      probes,
    );
    state.mirror.pending.push(call);
  }
  state.phases["P1"]!.feedback = "f".repeat(20_000);
  return state;
}

describe("the run's record within its comment", () => {
  it("is left alone when it fits", () => {
    const state = bigRun();
    const fitted = fitStatus(state, render, 200_000);
    expect(fitted.state).toBe(state);
    expect(fitted.body).toBe(render(state));
  });

  it("gives up the least useful first, oldest first: a patch, then check output, then feedback, and says so", () => {
    const state = bigRun();
    const size = render(state).length;
    // Room for all but one patch.
    const one = fitStatus(state, render, size - 15_000);
    expect(one.body.length).toBeLessThanOrEqual(size - 15_000);
    const calls = one.state.mirror.pending.filter((c) => c.op === "builder_result");
    expect(calls.map((c) => c.body.patch_content === undefined)).toEqual([true, false]);
    expect(one.state.left_out).toEqual(["a mirrored patch (builder_result of P1)"]);
    // The input is not changed: the cut record is a new one.
    expect(state.mirror.pending.every((c) => c.op !== "builder_result" || c.body.patch_content !== undefined)).toBe(true);

    // Room for neither patch nor check output, nor all the feedback.
    const many = fitStatus(state, render, size - 55_000);
    expect(many.body.length).toBeLessThanOrEqual(size - 55_000);
    const cut = many.state.mirror.pending.filter((c) => c.op === "builder_result");
    expect(cut.every((c) => c.body.patch_content === undefined && c.body.probe_results!.every((p) => p.stdout === ""))).toBe(true);
    expect(many.state.phases["P1"]!.feedback!.length).toBeLessThanOrEqual(4_000);
    expect(many.state.left_out).toEqual([
      "a mirrored patch (builder_result of P1)",
      "a mirrored patch (builder_result of P2)",
      "mirrored check output (builder_result of P1)",
      "mirrored check output (builder_result of P2)",
      "the Builder's feedback of P1 cut to 4000 characters",
    ]);
    expect(many.body).toBe(render(many.state));
  });
});
