import { createHash } from "node:crypto";

/**
 * The id of a phase's Cursor agent, chosen by the app and the same in every process: a process that
 * launched the agent and died before recording it finds the agent again (Cursor answers 409 to a
 * second launch with the same id) instead of starting a second one. One agent per run and phase: a
 * revise round is a follow-up run on it. Shaped like Cursor's own ids (`bc-` and a UUID).
 */
export function cursorAgentId(repository: string, runId: string, phaseId: string): string {
  const hex = createHash("sha256")
    .update(JSON.stringify(["autopack cursor agent v1", repository, runId, phaseId]))
    .digest("hex");
  return `bc-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
