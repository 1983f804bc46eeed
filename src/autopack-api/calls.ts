import { z } from "zod";
import { redactSecrets } from "../policy/untrusted.js";
import {
  AuditorRequestSchema,
  AuditorResultSchema,
  BuilderResultSchema,
  RunStartRequestSchema,
  type BuilderResult,
  type ProbeResult,
} from "./schemas.js";

/**
 * One call mirrored into the orchestrator, typed by operation, as the run's state stores it until the
 * service takes it. `tries` counts failed sends.
 *
 * `builder_result` and `auditor_result` are not idempotent on the service: it overwrites the phase's
 * `builder_attempts` and `tokens_used` with a builder result, and ADDS an auditor result's tokens.
 * The run's state sends each (run, phase, attempt, op) at most once; the client only retries an
 * exchange that failed without an answer (network, timeout) or with 5xx/429.
 */
const tries = z.number().int().nonnegative().optional();

export const MirrorCallSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("start"), runId: z.string(), body: RunStartRequestSchema, tries }),
  z.object({ op: z.literal("builder_result"), runId: z.string(), phaseId: z.string(), body: BuilderResultSchema, tries }),
  z.object({ op: z.literal("auditor_request"), runId: z.string(), phaseId: z.string(), body: AuditorRequestSchema, tries }),
  z.object({ op: z.literal("auditor_result"), runId: z.string(), phaseId: z.string(), body: AuditorResultSchema, tries }),
]);
export type MirrorCall = z.infer<typeof MirrorCallSchema>;
export type BuilderResultCall = Extract<MirrorCall, { op: "builder_result" }>;

/**
 * Patches longer than this stay out of the stored call: the run's state lives in a comment of at most
 * 65,536 characters, and the pull request has the diff.
 */
export const MAX_STORED_PATCH = 24_000;

/** A builder result's call, with a patch that fits the run's state and holds no secret-looking string. */
export function builderResultCall(runId: string, phaseId: string, body: BuilderResult): BuilderResultCall {
  const patch = body.patch_content;
  if (patch !== undefined && patch.length > MAX_STORED_PATCH) {
    body = withoutPatch(body, `patch of ${patch.length} characters left out; see the pull request`);
  } else if (patch !== undefined && redactSecrets(patch) !== patch) {
    // A redacted patch would no longer apply: leave it out rather than mirror a secret.
    body = withoutPatch(body, "patch left out: it holds a secret-looking string; see the pull request");
  }
  return { op: "builder_result", runId, phaseId, body };
}

/** The body without its patch, saying why in its notes. */
export function withoutPatch(body: BuilderResult, why: string): BuilderResult {
  const { patch_content: _dropped, ...rest } = body;
  return { ...rest, notes: `${body.notes ?? ""}\n(${why})` };
}

/** The call with the commit's checks as its probe results (a builder result waits for them). */
export function withProbeResults(call: BuilderResultCall, probes: readonly ProbeResult[]): BuilderResultCall {
  if (probes.length === 0) return call;
  return { ...call, body: { ...call.body, probe_results: probes.map((p) => ({ ...p })) } };
}
