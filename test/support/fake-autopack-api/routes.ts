import type { z } from "zod";
import type { ServiceModels } from "./schemas.js";
import {
  applyAuditorResult,
  applyBuilderResult,
  createRun,
  RUN_STATES,
  runMetrics,
  runResponse,
  runSummary,
  type FakePhase,
  type FakeRun,
} from "./state.js";
import { describeDetails, toValidationDetails } from "./validation.js";

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the routes read and change. */
export interface ServiceState {
  runs: Map<string, FakeRun>;
  invalidBodies: string[];
  models: ServiceModels;
}

type PhaseOp = "builder_result" | "auditor_request" | "auditor_result";

const detail = (status: number, text: string): Answer => ({ status, body: { detail: text } });

type Checked<T> = { ok: true; value: T } | { ok: false; answer: Answer };

/** Parses JSON and validates it, as FastAPI does before the handler runs; refusals are recorded. */
function validate<S extends z.ZodType>(state: ServiceState, where: string, schema: S, raw: string): Checked<z.output<S>> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    state.invalidBodies.push(`${where}: not JSON`);
    return {
      ok: false,
      answer: { status: 422, body: { detail: [{ loc: ["body", 0], msg: "JSON decode error", type: "value_error.jsondecode" }] } },
    };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const details = toValidationDetails(parsed.error, body);
  state.invalidBodies.push(`${where}: ${describeDetails(details)}`);
  return { ok: false, answer: { status: 422, body: { detail: details } } };
}

/** The service trusts the path; a body naming another run or phase is a client bug worth failing a test on. */
function checkIds(state: ServiceState, where: string, body: { run_id: string; phase_id: string }, runId: string, phaseId: string): void {
  if (body.run_id !== runId || body.phase_id !== phaseId) {
    state.invalidBodies.push(`${where}: body names ${body.run_id}/${body.phase_id}, path ${runId}/${phaseId}`);
  }
}

function startRun(state: ServiceState, raw: string): Answer {
  const checked = validate(state, "POST /runs/start", state.models.runStart, raw);
  if (!checked.ok) return checked.answer;
  const runId = checked.value.run.run_id;
  if (state.runs.has(runId)) return detail(400, `Run ${runId} already exists`);
  const run = createRun(checked.value);
  if (typeof run === "string") return detail(400, run);
  state.runs.set(runId, run);
  // As the service does: the run is committed, then its strategy is compiled, which needs every
  // phase's complexity as a string (a phase without one makes it answer 500 after storing the run).
  const vague = run.phases.find((p) => p.complexity === null);
  if (vague) return { status: 500, body: "Internal Server Error" };
  return { status: 201, body: runResponse(run) };
}

function findPhase(state: ServiceState, runId: string, phaseId: string): { run: FakeRun; phase: FakePhase } | Answer {
  const run = state.runs.get(runId);
  if (!run) return detail(404, `Run ${runId} not found`);
  const phase = run.phases.find((p) => p.phase_id === phaseId);
  if (!phase) return detail(404, `Phase ${phaseId} not found in run ${runId}`);
  return { run, phase };
}

function phaseCall(state: ServiceState, runId: string, phaseId: string, op: PhaseOp, raw: string): Answer {
  const where = `POST /runs/${runId}/phases/${phaseId}/${op}`;
  const { models } = state;
  if (op === "builder_result") {
    const checked = validate(state, where, models.builderResult, raw);
    if (!checked.ok) return checked.answer;
    const found = findPhase(state, runId, phaseId);
    if ("status" in found) return found;
    checkIds(state, where, checked.value, runId, phaseId);
    const commitSha = applyBuilderResult(found.run, found.phase, checked.value);
    return { status: 200, body: { message: "Builder result applied", commit_sha: commitSha, phase_state: found.phase.state } };
  }
  if (op === "auditor_request") {
    const checked = validate(state, where, models.auditorRequest, raw);
    if (!checked.ok) return checked.answer;
    const found = findPhase(state, runId, phaseId);
    if ("status" in found) return found;
    const body = checked.value;
    checkIds(state, where, body, runId, phaseId);
    if (body.tier_id !== found.phase.tier_id)
      state.invalidBodies.push(`${where}: tier_id ${body.tier_id}, phase is in ${found.phase.tier_id}`);
    return {
      status: 200,
      body: { message: "Auditor review requested", review_focus: body.review_focus, auditor_profile: body.auditor_profile ?? null },
    };
  }
  const checked = validate(state, where, models.auditorResult, raw);
  if (!checked.ok) return checked.answer;
  const found = findPhase(state, runId, phaseId);
  if ("status" in found) return found;
  checkIds(state, where, checked.value, runId, phaseId);
  applyAuditorResult(found.run, found.phase, checked.value);
  const body = {
    message: "Auditor result recorded",
    recommendation: checked.value.recommendation,
    patches_applied: false,
    commit_shas: [],
    phase_state: found.phase.state,
  };
  return { status: 200, body };
}

function metrics(state: ServiceState, url: URL): Answer {
  const status = url.searchParams.get("status");
  if (status !== null && !(RUN_STATES as readonly string[]).includes(status)) return detail(400, `Invalid state: ${status}`);
  const runs = [...state.runs.values()].filter((r) => status === null || r.state === status).map(runMetrics);
  return { status: 200, body: { total_runs: runs.length, runs } };
}

/** Routes one request like the orchestrator: 404 for an unknown path, 405 for a known one with another method. */
export function route(state: ServiceState, method: string, url: URL, raw: string): Answer {
  let segments: string[];
  try {
    segments = url.pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return detail(404, "Not Found");
  }
  const [a, b, c, d, e] = segments;
  const is = (m: string): Answer | null => (method === m ? null : detail(405, "Method Not Allowed"));

  if (segments.length === 1 && a === "health") return is("GET") ?? { status: 200, body: { status: "healthy" } };
  // As in FastAPI, `GET /runs/start` falls through to `GET /runs/{run_id}`.
  if (segments.length === 2 && a === "runs" && b === "start" && method === "POST") return startRun(state, raw);
  if (segments.length === 2 && a === "runs" && b) {
    const run = state.runs.get(b);
    return is("GET") ?? (run ? { status: 200, body: runResponse(run) } : detail(404, `Run ${b} not found`));
  }
  if (
    segments.length === 5 &&
    a === "runs" &&
    b &&
    c === "phases" &&
    d &&
    (e === "builder_result" || e === "auditor_request" || e === "auditor_result")
  ) {
    return is("POST") ?? phaseCall(state, b, d, e, raw);
  }
  if (segments.length === 3 && a === "reports" && b === "run_summary" && c) {
    const run = state.runs.get(c);
    return is("GET") ?? (run ? { status: 200, body: runSummary(run) } : detail(404, `Run ${c} not found`));
  }
  if (segments.length === 2 && a === "metrics" && b === "runs") return is("GET") ?? metrics(state, url);
  return detail(404, "Not Found");
}
