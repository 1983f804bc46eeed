import { withoutPatch, type MirrorCall } from "../autopack-api/calls.js";
import type { AutopackApi } from "../autopack-api/client.js";
import type { RunSummary } from "../autopack-api/schemas.js";
import { forErrorNote } from "../policy/outbound.js";
import type { MirrorRecord } from "./run-state.js";

export interface FlushLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Failed sends after which a `builder_result` goes without its patch. */
const PATCH_GIVE_UP = 3;

/**
 * Sends a run's pending mirror calls in order and answers the mirror record that remains: what the
 * service did not take, and the last error. It changes nothing it is given; `advance` stores the
 * answer as the run's mirror record beside the state `decide` returned.
 *
 * A call that failed in a way worth retrying (API down, 5xx, 429) stops the flush and stays first in
 * line, so the orchestrator always sees start, builder_result, auditor_request, auditor_result in
 * order. A call the API refuses for good (4xx) is dropped with the error recorded: retrying it would
 * block every later outcome. A `builder_result` whose patch keeps failing with a 5xx (the service
 * answers 500 when its own `git apply` of the patch fails) is sent once more without the patch, so one
 * bad diff cannot hold back the run's later outcomes. With mirroring off the API takes every call.
 *
 * A process can die after the service took a phase's outcome and before the run's state says so; the
 * next turn would send it again, and the service would apply the patch twice. So before the first
 * phase outcome of a flush, the service's run summary is read once, and an outcome whose attempt it
 * already counts is left out rather than sent again (attempt numbers only grow). When the summary
 * cannot be read, the outcome is sent: at least once beats never.
 *
 * The service's error text is kept to its words (no URLs, no secrets) before it goes into the record:
 * the record is part of the run's state, which anyone who can read the issue can decode.
 */
export async function flushMirror(runId: string, mirror: MirrorRecord, api: AutopackApi, log: FlushLog): Promise<MirrorRecord> {
  const pending: MirrorCall[] = [...mirror.pending];
  let lastError = mirror.last_error;
  let lastRefusal = mirror.last_refusal;
  let held: RunSummary | null | undefined;
  while (pending.length > 0) {
    const call = pending[0]!;
    if (api.enabled && call.op !== "start") {
      held ??= await api.runSummary(runId);
      if (alreadyHeld(call, held, pending)) {
        pending.shift();
        log.warn({ runId, op: call.op, phase: call.phaseId }, "the Autopack API already holds this outcome; not sent again");
        continue;
      }
    }
    const result = await api.send(call);
    if (result.ok) {
      pending.shift();
      lastError = null;
      continue;
    }
    const where = `${call.op}${call.op !== "start" ? ` ${call.phaseId}` : ""}`;
    if (result.retryable) {
      const tries = (call.tries ?? 0) + 1;
      if (call.op === "builder_result" && (result.status ?? 0) >= 500 && tries >= PATCH_GIVE_UP && call.body.patch_content) {
        pending[0] = { ...call, tries, body: withoutPatch(call.body, `patch left out: the service failed on it ${tries} times`) };
        continue;
      }
      pending[0] = { ...call, tries };
      log.warn({ runId, op: call.op, status: result.status, error: result.error }, "Autopack API unavailable; mirror call kept pending");
      return { pending, last_error: forErrorNote(`${where}: ${result.error}`), last_refusal: lastRefusal };
    }
    pending.shift();
    lastError = forErrorNote(`${where} refused: ${result.error}`);
    lastRefusal = lastError;
    log.error({ runId, op: call.op, status: result.status, error: result.error }, "Autopack API refused a mirror call; dropped");
  }
  return { pending, last_error: lastError, last_refusal: lastRefusal };
}

/**
 * Whether the service's summary already counts the attempt this phase call reports. An
 * `auditor_request` goes with the `auditor_result` after it: it is held when that result is.
 */
function alreadyHeld(call: Exclude<MirrorCall, { op: "start" }>, held: RunSummary | null, pending: MirrorCall[]): boolean {
  const phase = held?.phases.find((p) => p.phase_id === call.phaseId);
  if (!phase) return false;
  switch (call.op) {
    case "builder_result":
      return call.body.builder_attempts !== undefined && (phase.builder_attempts ?? 0) >= call.body.builder_attempts;
    case "auditor_result":
      return call.body.auditor_attempts !== undefined && (phase.auditor_attempts ?? 0) >= call.body.auditor_attempts;
    case "auditor_request": {
      const result = pending.find((c) => c.op === "auditor_result" && c.phaseId === call.phaseId);
      return result?.op === "auditor_result" && alreadyHeld(result, held, pending);
    }
  }
}
