import { applyEvent } from "./decide-events.js";
import { enforceRunBudgets, observe, schedule } from "./decide-level.js";
import type { DecideInput, Decision } from "./decision.js";
import { release } from "./moves.js";
import { isTerminal, type RunState } from "./run-state.js";
import type { Action } from "./events.js";

export type { DecideInput, Decision } from "./decision.js";

/**
 * The Supervisor: a pure function from (state, event, observations, config, time) to the next state
 * and the side effects to perform. Every phase transition happens here and nowhere else, through the
 * moves of src/supervisor/moves.ts, each checked against the tables of src/supervisor/transitions.ts.
 */
export function decide(input: DecideInput): Decision {
  const state: RunState = structuredClone(input.state);
  const actions: Action[] = [];
  const ctx = { ...input, state, actions, nowIso: input.now.toISOString() };
  const wasTerminal = isTerminal(state);

  applyEvent(ctx);
  if (!isTerminal(state)) {
    observe(ctx);
    enforceRunBudgets(ctx);
  }
  if (!isTerminal(state)) schedule(ctx);
  // Whatever no longer waits for checks sends what it held back.
  for (const rec of Object.values(state.phases)) if (rec.step !== "checks" && rec.held.length > 0) release(ctx, rec, []);
  // An approval that its head's checks took back in the same turn merges nothing.
  const kept = actions.filter((a) => a.type !== "merge" || state.phases[a.phaseId]?.step === "awaiting_merge");
  if (!isTerminal(state)) return { state, actions: kept };
  // An ended run starts no more work, whatever the event asked for.
  const final = kept.filter((a) => a.type !== "build" && a.type !== "audit");
  if (!wasTerminal) final.push({ type: "finish" });
  return { state, actions: final };
}
