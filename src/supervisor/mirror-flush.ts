import { withoutPatch, type MirrorCall } from "../autopack-api/calls.js";
import type { AutopackApi } from "../autopack-api/client.js";
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
 * The service's error text is kept to its words (no URLs, no secrets) before it goes into the record:
 * the record is part of the run's state, which anyone who can read the issue can decode.
 */
export async function flushMirror(runId: string, mirror: MirrorRecord, api: AutopackApi, log: FlushLog): Promise<MirrorRecord> {
  const pending: MirrorCall[] = [...mirror.pending];
  let lastError = mirror.last_error;
  let lastRefusal = mirror.last_refusal;
  while (pending.length > 0) {
    const call = pending[0]!;
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
