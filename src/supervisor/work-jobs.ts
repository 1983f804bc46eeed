import { auditorRequestBody, auditorResultBody, builderResultBody } from "../autopack-api/bodies.js";
import { builderResultCall } from "../autopack-api/calls.js";
import { runAuditor } from "../auditor/run-auditor.js";
import type { Finding } from "../auditor/types.js";
import { commitSealKey } from "../builder/commit-seal.js";
import { runCursorBuilder } from "../builder/cursor-builder.js";
import { failedOutcome } from "../builder/failure.js";
import { runBuilder } from "../builder/run-builder.js";
import type { BuildInput, BuildOutcome } from "../builder/types.js";
import type { RepoConfig } from "../config/repo-config.js";
import { phaseBranch } from "../github/branches.js";
import { errorMessage } from "../github/errors.js";
import { SimpleTokenBudget } from "../llm/budget.js";
import type { Phase } from "../plan/schema.js";
import { issueQueueKey, type Job } from "./jobs.js";
import type { WorkerDeps } from "./deps.js";
import type { SupervisorEvent } from "./events.js";
import { phaseBudget } from "../plan/budgets.js";
import { meteredLlm } from "./metrics.js";
import { loadRunContext, type RunContext } from "./run-context.js";
import type { FindingRef, PhaseRecord, RunState, StoredMirrorCall } from "./run-state.js";

type BuildJob = Extract<Job, { kind: "build" }>;
type AuditJob = Extract<Job, { kind: "audit" }>;

/** What a build or audit job works from: the run and phase as they are now on GitHub. */
interface Work {
  ctx: RunContext;
  state: RunState;
  rec: PhaseRecord;
  phase: Phase;
  config: RepoConfig;
  /** Tokens this attempt may spend: what is left of the phase's cap and of the run's. */
  budget: SimpleTokenBudget;
  started: number;
  /** What the Builder and the Auditor both take. */
  common: Pick<BuildInput, "github" | "issueNumber" | "runId" | "plan" | "phase" | "attempt" | "config" | "llm" | "budget">;
}

/**
 * Loads the job's run and phase, or returns null when the job is stale (another attempt has
 * started, or the run ended). Throws while GitHub shows an older state than Autopack wrote. An
 * invalid configuration throws: the queue retries, then forgets the job, and the next event both
 * reports the configuration and queues the work again.
 */
async function load(
  deps: WorkerDeps,
  job: BuildJob | AuditJob,
  step: PhaseRecord["step"],
  attempt: (r: PhaseRecord) => number,
): Promise<Work | null> {
  const ctx = await loadRunContext(deps, job.target);
  // Still behind Autopack's own write after reading again: GitHub has not caught up yet. Dropping the
  // job would lose it (its id is taken for a while), so the queue tries it again later.
  if (ctx.history.stale?.behind) throw new Error("the status comment GitHub answered is older than Autopack's last write of it");
  const stored = ctx.history.latest;
  const rec = stored?.state.phases[job.phaseId];
  const phase = stored?.state.plan.phases.find((p) => p.phase_id === job.phaseId);
  if (!stored || stored.state.run_id !== job.runId || !rec || !phase || rec.step !== step || attempt(rec) !== job.attempt) {
    deps.log.info({ job: job.kind, runId: job.runId, phase: job.phaseId, attempt: job.attempt }, "stale job dropped");
    return null;
  }
  if (!ctx.config.ok) throw new Error(`invalid .github/autopack.yml: ${ctx.config.problems.join("; ")}`);
  const config = ctx.config.config;
  const state = stored.state;
  const phaseCap = phaseBudget(phase.task_category, config.budgets).token_cap;
  const budget = new SimpleTokenBudget(Math.min(phaseCap - (rec.tokens - rec.token_floor), state.plan.run.token_cap - state.tokens));
  const common = {
    github: ctx.github,
    issueNumber: state.issue,
    runId: state.run_id,
    plan: state.plan,
    phase,
    attempt: job.attempt,
    config,
    llm: meteredLlm(deps.llm, deps.metrics, deps.models, config.prices),
    budget,
  };
  return { ctx, state, rec, phase, config, budget, started: Date.now(), common };
}

/** The outcome goes back under the issue's key, where the Supervisor records it. */
async function record(deps: WorkerDeps, job: BuildJob | AuditJob, event: SupervisorEvent): Promise<void> {
  if (event.type === "build-finished" || event.type === "audit-finished") {
    const outcome = event.type === "build-finished" ? event.status : event.stale ? "stale" : event.recommendation;
    deps.metrics?.workFinished({ kind: job.kind, outcome, seconds: event.minutes * 60 });
  }
  await deps.queue.enqueue({
    id: `event:${job.kind}:${job.runId}/${job.phaseId}/${job.attempt}`,
    key: issueQueueKey(job.target),
    job: { kind: "event", target: job.target, event },
  });
}

export async function handleBuildJob(deps: WorkerDeps, job: BuildJob): Promise<void> {
  const work = await load(deps, job, "building", (r) => r.builder_attempts);
  if (!work) return;
  const { ctx, state, rec, phase, config } = work;
  let outcome: BuildOutcome;
  try {
    const input: BuildInput = {
      ...work.common,
      baseBranch: config.base ?? ctx.repo.defaultBranch,
      branch: phaseBranch(state.issue, phase.phase_id),
      feedback: job.feedback,
      startOver: job.startOver,
      appHead: rec.built_sha,
      recordedHead: rec.head_sha,
      sealKey: commitSealKey(deps.stateKey),
    };
    // The repository chooses its Builder (`builder` in .github/autopack.yml); the key comes from the environment only.
    outcome =
      config.builder === "cursor"
        ? await runCursorBuilder({ ...input, cursor: deps.cursor ?? null, stepSince: rec.since })
        : await runBuilder(input);
  } catch (error) {
    // GitHub kept failing under the Builder: the attempt counts as failed and the Supervisor decides.
    deps.log.error({ runId: state.run_id, phase: phase.phase_id, err: errorMessage(error) }, "build failed with an error");
    outcome = failedOutcome(`GitHub error while building: ${errorMessage(error)}`, work.budget.spent, (Date.now() - work.started) / 60_000);
  }
  const mirror: StoredMirrorCall[] = [
    builderResultCall(
      state.run_id,
      phase.phase_id,
      builderResultBody({
        runId: state.run_id,
        phaseId: phase.phase_id,
        outcome,
        attempt: job.attempt,
        tokensUsed: rec.tokens + outcome.tokensUsed,
      }),
    ),
  ];
  await record(deps, job, {
    type: "build-finished",
    phaseId: phase.phase_id,
    attempt: job.attempt,
    status: outcome.status,
    commitSha: outcome.commitSha,
    prNumber: outcome.prNumber,
    tokens: outcome.tokensUsed,
    minutes: outcome.durationMinutes,
    notes: outcome.notes,
    ...(outcome.environment ? { environment: true } : {}),
    ...(outcome.needsPerson ? { needsPerson: outcome.needsPerson } : {}),
    mirror,
  });
  if (outcome.status === "failed") {
    const log = outcome.environment ? deps.log.error.bind(deps.log) : deps.log.warn.bind(deps.log);
    log({ runId: state.run_id, phase: phase.phase_id, attempt: job.attempt, notes: outcome.notes.slice(0, 500) }, "build attempt failed");
  }
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
  const work = await load(deps, job, "auditing", (r) => r.auditor_attempts);
  if (!work) return;
  const { state, rec, phase, config } = work;
  const outcome = await runAuditor({
    ...work.common,
    prNumber: job.pr,
    headSha: job.sha,
    previousFindings: rec.findings.map(toFinding),
  });
  const mirror: StoredMirrorCall[] = [];
  if (!outcome.stale) {
    const runId = state.run_id;
    const budget = phaseBudget(phase.task_category, config.budgets);
    mirror.push({
      op: "auditor_request",
      runId,
      phaseId: phase.phase_id,
      body: auditorRequestBody({ runId, phase, builder: null, budget }),
    });
    mirror.push({
      op: "auditor_result",
      runId,
      phaseId: phase.phase_id,
      body: auditorResultBody({ runId, phaseId: phase.phase_id, outcome, attempt: job.attempt }),
    });
  }
  await record(deps, job, {
    type: "audit-finished",
    phaseId: phase.phase_id,
    attempt: job.attempt,
    sha: job.sha,
    recommendation: outcome.recommendation,
    stale: outcome.stale,
    findings: outcome.findings.map((f) => ({ ...toRef(f), attempt: job.attempt })),
    summary: outcome.summary.slice(0, 2000),
    tokens: outcome.tokensUsed,
    minutes: (Date.now() - work.started) / 60_000,
    mirror,
  });
}

function toRef(f: Finding): Omit<FindingRef, "attempt"> {
  return { key: f.key, path: f.path, line: f.line, severity: f.severity, category: f.category, message: f.message.slice(0, 500) };
}
