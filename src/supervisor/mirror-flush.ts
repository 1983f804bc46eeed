import type { AutopackApi, MirrorCall } from "../autopack-api/client.js";
import type { RunState } from "./run-state.js";

export interface FlushLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Sends the run's pending mirror calls in order and keeps what was not accepted. A call that failed
 * in a way worth retrying (API down, 5xx, 429) stops the flush and stays first in line, so the
 * orchestrator always sees start, builder_result, auditor_request, auditor_result in order. A call
 * the API refuses for good (4xx) is dropped with the error recorded: retrying it would block every
 * later outcome. A `builder_result` whose patch keeps failing with a 5xx (the service answers 500 when
 * its own `git apply` of the patch fails) is sent once more without the patch, so one bad diff cannot
 * hold back the run's later outcomes.
 */
const PATCH_GIVE_UP = 3;

export async function flushMirror(state: RunState, api: AutopackApi, log: FlushLog): Promise<void> {
  if (!state.mirror.enabled) {
    state.mirror.pending = [];
    return;
  }
  while (state.mirror.pending.length > 0) {
    const call = state.mirror.pending[0]!;
    const result = await api.send(call as MirrorCall);
    if (result.ok) {
      state.mirror.pending.shift();
      state.mirror.last_error = null;
      continue;
    }
    const where = `${call.op}${call.phaseId ? ` ${call.phaseId}` : ""}`;
    if (result.retryable) {
      call.tries = (call.tries ?? 0) + 1;
      const body = call.body as { patch_content?: string; notes?: string };
      if (
        call.op === "builder_result" &&
        result.status !== undefined &&
        result.status >= 500 &&
        call.tries >= PATCH_GIVE_UP &&
        body.patch_content
      ) {
        delete body.patch_content;
        body.notes = `${body.notes ?? ""}\n(patch left out: the service failed on it ${call.tries} times)`;
        continue;
      }
      state.mirror.last_error = `${where}: ${result.error}`;
      log.warn(
        { runId: state.run_id, op: call.op, status: result.status, error: result.error },
        "Autopack API unavailable; mirror call kept pending",
      );
      return;
    }
    state.mirror.pending.shift();
    state.mirror.last_error = `${where} refused: ${result.error}`;
    log.error(
      { runId: state.run_id, op: call.op, status: result.status, error: result.error },
      "Autopack API refused a mirror call; dropped",
    );
  }
}
