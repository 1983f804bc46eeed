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
export type AuditorResultCall = Extract<MirrorCall, { op: "auditor_result" }>;
export type StartCall = Extract<MirrorCall, { op: "start" }>;

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

/**
 * Check results one builder result carries at most (failing ones first), and the characters of
 * output they carry together: a commit can have any number of checks, and the call waits in the
 * run's state, which lives in a comment.
 */
export const MAX_PROBES_PER_CALL = 50;
export const MAX_PROBE_TEXT_PER_CALL = 16_000;

/**
 * The call with the commit's checks as its probe results (a builder result waits for them), within
 * `MAX_PROBES_PER_CALL` and `MAX_PROBE_TEXT_PER_CALL`; what was left out is said in its notes.
 */
export function withProbeResults(call: BuilderResultCall, probes: readonly ProbeResult[]): BuilderResultCall {
  if (probes.length === 0) return call;
  // Failing checks first, then the others, in their order.
  const chosen = new Set(
    [...probes.keys()]
      .sort((a, b) => Number(probes[b]!.exit_code !== 0) - Number(probes[a]!.exit_code !== 0))
      .slice(0, MAX_PROBES_PER_CALL),
  );
  const kept = probes.filter((_, i) => chosen.has(i));
  const each = Math.floor(MAX_PROBE_TEXT_PER_CALL / kept.length / 2);
  let cut = 0;
  const shaped = kept.map((p) => {
    const stdout = cutText(p.stdout, each);
    const stderr = cutText(p.stderr, each);
    if (stdout !== p.stdout || stderr !== p.stderr) cut++;
    return { ...p, stdout, stderr };
  });
  const left = probes.length - kept.length;
  const said = [
    left > 0 ? `${left} of ${probes.length} check results left out` : "",
    cut > 0 ? `the output of ${cut} cut to ${each} characters` : "",
  ].filter(Boolean);
  const body = { ...call.body, probe_results: shaped };
  return { ...call, body: said.length > 0 ? withNote(body, `${said.join("; ")}; see the pull request's checks`) : body };
}

/** The builder result without its patch (the run's record must fit its comment). */
export function withoutStoredPatch(call: BuilderResultCall): BuilderResultCall {
  if (call.body.patch_content === undefined) return call;
  return { ...call, body: withoutPatch(call.body, "patch left out to fit the run's record; see the pull request") };
}

/** The builder result with its probe results' output left out, their names and exit codes kept. */
export function withoutProbeText(call: BuilderResultCall): BuilderResultCall {
  const probes = call.body.probe_results ?? [];
  if (!probes.some((p) => p.stdout !== "" || p.stderr !== "")) return call;
  const body = { ...call.body, probe_results: probes.map((p) => ({ ...p, stdout: "", stderr: "" })) };
  return { ...call, body: withNote(body, "check output left out to fit the run's record; see the pull request's checks") };
}

/** The auditor result with its suggested patches left out and its review notes cut to `max` characters. */
export function withShortReview(call: AuditorResultCall, max: number): AuditorResultCall {
  const { suggested_patches: patches, ...rest } = call.body;
  if ((patches ?? []).length === 0 && rest.review_notes.length <= max) return call;
  const notes = cutText(rest.review_notes, max);
  return { ...call, body: { ...rest, review_notes: `${notes}\n(cut to fit the run's record; the review on the pull request has it all)` } };
}

/** The run's start with its phases' (and tiers') descriptions cut to `max` characters. */
export function withShortDescriptions(call: StartCall, max: number): StartCall {
  const long = (d: string | undefined) => d !== undefined && d.length > max;
  if (!call.body.phases.some((p) => long(p.description)) && !call.body.tiers.some((t) => long(t.description))) return call;
  const cut = <T extends { description?: string | undefined }>(x: T): T =>
    long(x.description) ? { ...x, description: cutText(x.description!, max) } : x;
  return { ...call, body: { ...call.body, tiers: call.body.tiers.map(cut), phases: call.body.phases.map(cut) } };
}

function withNote(body: BuilderResult, note: string): BuilderResult {
  return { ...body, notes: `${body.notes ?? ""}\n(${note})` };
}

/** Text cut to `max` characters (an ellipsis last), never splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
