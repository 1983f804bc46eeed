import { auditorRequestBody, auditorResultBody, builderResultBody } from "../autopack-api/bodies.js";
import { runAuditor } from "../auditor/run-auditor.js";
import type { AuditOutcome, Finding } from "../auditor/types.js";
import { runBuilder } from "../builder/run-builder.js";
import type { BuildOutcome } from "../builder/types.js";
import { errorMessage } from "../github/client.js";
import { phaseBranch } from "../github/branches.js";
import { SimpleTokenBudget } from "../llm/budget.js";
import { issueQueueKey, type Job } from "../queue/queue.js";
import { phaseBudget } from "./playbook.js";
import { loadRunContext, type RunContext } from "./run-context.js";
import type { FindingRef, PhaseRecord, RunState, StoredMirrorCall } from "./run-state.js";
import type { WorkerDeps } from "./deps.js";

type BuildJob = Extract<Job, { kind: "build" }>;
type AuditJob = Extract<Job, { kind: "audit" }>;

/** Big diffs stay out of the state block (a comment holds 65,536 characters); the PR has them. */
const MAX_STORED_PATCH = 24_000;

interface Current {
  ctx: RunContext;
  state: RunState;
  rec: PhaseRecord;
}

/** The run and phase as they are now, or null when the job is stale (another attempt has started, or the run ended). */
async function current(
  deps: WorkerDeps,
  job: BuildJob | AuditJob,
  step: PhaseRecord["step"],
  attempt: (r: PhaseRecord) => number,
): Promise<Current | null> {
  const ctx = await loadRunContext(deps, job.target);
  const stored = ctx.history.latest;
  const rec = stored?.state.phases[job.phaseId];
  if (!stored || stored.state.run_id !== job.runId || !rec || rec.step !== step || attempt(rec) !== job.attempt) {
    deps.log.info({ job: job.kind, runId: job.runId, phase: job.phaseId, attempt: job.attempt }, "stale job dropped");
    return null;
  }
  return { ctx, state: stored.state, rec };
}

function budgetFor(
  state: RunState,
  rec: PhaseRecord,
  taskCategory: string | undefined,
  overrides: Parameters<typeof phaseBudget>[1],
): SimpleTokenBudget {
  const phaseCap = phaseBudget(taskCategory, overrides).token_cap;
  return new SimpleTokenBudget(Math.min(phaseCap - rec.tokens, state.plan.run.token_cap - state.tokens));
}

async function recordEvent(
  deps: WorkerDeps,
  job: BuildJob | AuditJob,
  id: string,
  event: Extract<Job, { kind: "event" }>["event"],
): Promise<void> {
  await deps.queue.enqueue({ id, key: issueQueueKey(job.target), job: { kind: "event", target: job.target, event } });
}

export async function handleBuildJob(deps: WorkerDeps, job: BuildJob): Promise<void> {
  const found = await current(deps, job, "building", (r) => r.builder_attempts);
  if (!found) return;
  const { ctx, state, rec } = found;
  const phase = state.plan.phases.find((p) => p.phase_id === job.phaseId)!;
  if (!ctx.config.ok) throw new Error(`invalid .github/autopack.yml: ${ctx.config.problems.join("; ")}`);
  const config = ctx.config.config;
  const started = Date.now();
  let outcome: BuildOutcome;
  try {
    outcome = await runBuilder({
      gh: ctx.gh,
      repo: { owner: ctx.repo.owner, repo: ctx.repo.repo, id: ctx.repo.id },
      issueNumber: state.issue,
      runId: state.run_id,
      plan: state.plan,
      phase,
      attempt: job.attempt,
      baseBranch: config.base ?? ctx.repo.defaultBranch,
      branch: phaseBranch(state.issue, phase.phase_id),
      feedback: job.feedback,
      startOver: job.startOver,
      config,
      llm: deps.llm,
      budget: budgetFor(state, rec, phase.task_category, config.budgets),
    });
  } catch (error) {
    // GitHub kept failing under the Builder: the attempt counts as failed and the Supervisor decides.
    deps.log.error({ runId: state.run_id, phase: phase.phase_id, err: errorMessage(error) }, "build failed with an error");
    outcome = {
      status: "failed",
      commitSha: null,
      prNumber: null,
      prUrl: null,
      patch: "",
      filesChanged: [],
      linesAdded: 0,
      linesRemoved: 0,
      tokensUsed: 0,
      durationMinutes: (Date.now() - started) / 60_000,
      notes: `GitHub error while building: ${errorMessage(error)}`,
    };
  }
  const mirror: StoredMirrorCall[] = [];
  if (state.mirror.enabled) {
    const body = builderResultBody({
      runId: state.run_id,
      phaseId: phase.phase_id,
      outcome,
      attempt: job.attempt,
      tokensUsed: rec.tokens + outcome.tokensUsed,
    });
    if (body.patch_content && body.patch_content.length > MAX_STORED_PATCH) {
      delete body.patch_content;
      body.notes = `${body.notes}\n(patch of ${outcome.patch.length} characters left out; see the pull request)`;
    }
    mirror.push({ op: "builder_result", runId: state.run_id, phaseId: phase.phase_id, body });
  }
  await recordEvent(deps, job, `event:build:${state.run_id}/${phase.phase_id}/${job.attempt}`, {
    type: "build-finished",
    phaseId: phase.phase_id,
    attempt: job.attempt,
    status: outcome.status,
    commitSha: outcome.commitSha,
    prNumber: outcome.prNumber,
    tokens: outcome.tokensUsed,
    minutes: outcome.durationMinutes,
    notes: outcome.notes,
    mirror,
  });
}

function toFinding(ref: FindingRef): Finding {
  return {
    key: ref.key,
    path: ref.path,
    line: ref.line,
    severity: ref.severity,
    category: ref.category,
    message: ref.message,
    suggestion: null,
    source: "model",
  };
}

export async function handleAuditJob(deps: WorkerDeps, job: AuditJob): Promise<void> {
  const found = await current(deps, job, "auditing", (r) => r.auditor_attempts);
  if (!found) return;
  const { ctx, state, rec } = found;
  const phase = state.plan.phases.find((p) => p.phase_id === job.phaseId)!;
  if (!ctx.config.ok) throw new Error(`invalid .github/autopack.yml: ${ctx.config.problems.join("; ")}`);
  const config = ctx.config.config;
  const started = Date.now();
  const outcome: AuditOutcome = await runAuditor({
    gh: ctx.gh,
    repo: { owner: ctx.repo.owner, repo: ctx.repo.repo, id: ctx.repo.id },
    issueNumber: state.issue,
    runId: state.run_id,
    plan: state.plan,
    phase,
    attempt: job.attempt,
    prNumber: job.pr,
    headSha: job.sha,
    previousFindings: rec.findings.map(toFinding),
    config,
    llm: deps.llm,
    budget: budgetFor(state, rec, phase.task_category, config.budgets),
  });
  const mirror: StoredMirrorCall[] = [];
  if (state.mirror.enabled && !outcome.stale) {
    const budget = phaseBudget(phase.task_category, config.budgets);
    mirror.push({
      op: "auditor_request",
      runId: state.run_id,
      phaseId: phase.phase_id,
      body: auditorRequestBody({ runId: state.run_id, phase, builder: null, budget }),
    });
    mirror.push({
      op: "auditor_result",
      runId: state.run_id,
      phaseId: phase.phase_id,
      body: auditorResultBody({ runId: state.run_id, phaseId: phase.phase_id, outcome, attempt: job.attempt }),
    });
  }
  await recordEvent(deps, job, `event:audit:${state.run_id}/${phase.phase_id}/${job.attempt}`, {
    type: "audit-finished",
    phaseId: phase.phase_id,
    attempt: job.attempt,
    sha: job.sha,
    recommendation: outcome.recommendation,
    stale: outcome.stale,
    findings: outcome.findings.map((f) => ({
      key: f.key,
      path: f.path,
      line: f.line,
      severity: f.severity,
      category: f.category,
      message: f.message.slice(0, 500),
      attempt: job.attempt,
    })),
    summary: outcome.summary.slice(0, 2000),
    tokens: outcome.tokensUsed,
    minutes: (Date.now() - started) / 60_000,
    mirror,
  });
}
