import { z } from "zod";
import { PhaseRecordSchema, RunStateSchema, type RunState } from "./run-state.js";

/**
 * State blocks written before a phase's step was stored once (v1): each phase also carried the
 * orchestrator's state (which follows from its step), and the mirror a flag saying whether it was on.
 * They load as v2: the derived state and the flag are dropped, the rest is read unchanged (stored
 * mirror calls are checked against their operation's body schema on the way in).
 */
const V1Schema = RunStateSchema.extend({
  v: z.literal(1),
  phases: z.record(z.string(), PhaseRecordSchema.extend({ state: z.string() })),
  mirror: RunStateSchema.shape.mirror.extend({ enabled: z.boolean() }),
});

export function parseStoredState(json: unknown): RunState | null {
  const current = RunStateSchema.safeParse(json);
  if (current.success) return current.data;
  const v1 = V1Schema.safeParse(json);
  if (!v1.success) return null;
  const { mirror, phases, ...rest } = v1.data;
  return {
    ...rest,
    v: 2,
    phases: Object.fromEntries(Object.entries(phases).map(([id, { state: _derived, ...rec }]) => [id, rec])),
    mirror: { pending: mirror.pending, last_error: mirror.last_error, last_refusal: mirror.last_refusal },
  };
}
