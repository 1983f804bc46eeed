import type { RunState } from "./run-state.js";
import { isTerminal } from "./run-state.js";

export const LABELS = {
  invalid: "autopack:invalid",
  needsHuman: "autopack:needs-human",
  done: "autopack:done",
  failed: "autopack:failed",
} as const;

/** The state labels that belong on a run's issue, derived from its state (level-triggered). */
export function desiredLabels(state: RunState): Set<string> {
  const labels = new Set<string>();
  if (state.state === "DONE_SUCCESS") labels.add(LABELS.done);
  else if (isTerminal(state)) labels.add(LABELS.failed);
  const escalated = Object.values(state.phases).some((p) => p.step === "escalated");
  if (escalated || (state.state === "DONE_FAILED_REQUIRES_HUMAN_REVIEW" && state.cancelled_by === null)) labels.add(LABELS.needsHuman);
  return labels;
}

export const RUN_LABELS: readonly string[] = [LABELS.needsHuman, LABELS.done, LABELS.failed];
