import { describe, expect, it } from "vitest";
import { allows, PHASE_STEPS, PHASE_TRANSITIONS, phaseStateOf, RUN_STATES, RUN_TRANSITIONS } from "./transitions.js";

describe("the phase and run tables", () => {
  it("give each step the orchestrator's phase state that the status table and summary show", () => {
    expect(PHASE_STEPS.map((s) => `${s}=${phaseStateOf(s)}`)).toEqual([
      "waiting=QUEUED",
      "building=EXECUTING",
      "checks=CI_RUNNING",
      "auditing=GATE",
      "awaiting_merge=GATE",
      "merged=COMPLETE",
      "escalated=FAILED",
      "cancelled=SKIPPED",
      "skipped=SKIPPED",
    ]);
  });

  it("hold a move only from the steps and for the reason they name", () => {
    expect(allows(PHASE_TRANSITIONS, "checks", "auditing", "checks-passed")).toBe(true);
    expect(allows(PHASE_TRANSITIONS, "waiting", "auditing", "checks-passed")).toBe(false);
    expect(allows(PHASE_TRANSITIONS, "checks", "auditing", "audit-approved")).toBe(false);
    // A merged phase and a skipped one never move again.
    expect(PHASE_TRANSITIONS.some((t) => t.from.includes("merged") || t.from.includes("skipped"))).toBe(false);
  });

  it("reach every step and every run state, and leave every one that is not final", () => {
    for (const step of PHASE_STEPS) {
      expect(PHASE_TRANSITIONS.some((t) => t.to === step) || step === "waiting", `${step} is reached`).toBe(true);
      // A merged phase and a skipped one are done for good.
      if (step !== "merged" && step !== "skipped")
        expect(
          PHASE_TRANSITIONS.some((t) => t.from.includes(step)),
          `${step} is left`,
        ).toBe(true);
    }
    for (const state of RUN_STATES) {
      expect(RUN_TRANSITIONS.some((t) => t.to === state) || state === "RUN_CREATED", `${state} is reached`).toBe(true);
    }
  });
});
