import { parsePhaseBranch } from "../github/branches.js";
import { issueQueueKey, type AppJobHandler as JobHandler, type Intent, type Job } from "./jobs.js";
import { advance, reportStaleRun } from "./advance.js";
import { commandIntent, replyNoPermission } from "./command-intent.js";
import { parseCommand } from "./commands.js";
import type { WorkerDeps } from "./deps.js";
import { reviewFeedback } from "./review-feedback.js";
import { loadRunContext, openRepo, ourComments } from "./run-context.js";
import { Refusals } from "./refusals.js";
import type { SteerDecision } from "./steer-gate.js";
import { mergedPulls } from "./observe-github.js";
import { isTerminal } from "./run-state.js";
import { startIntent } from "./start-intent.js";
import { tickIntent } from "./panel-intent.js";
import { handleAuditJob, handleBuildJob } from "./work-jobs.js";

/** Runs one job of any kind. Throwing makes the queue retry it with backoff. */
export function createJobHandler(deps: WorkerDeps, refusals: Refusals = new Refusals()): JobHandler {
  return async (job, meta) => {
    switch (job.kind) {
      case "build":
        return handleBuildJob(deps, job);
      case "audit":
        return handleAuditJob(deps, job);
      case "reconcile":
      case "event":
        return handleRunJob(deps, job);
      case "intent": {
        const { intent } = job;
        if (intent.type === "command") return handleCommand(deps, refusals, { ...job, intent }, meta.id);
        if (intent.type === "tick") return tickIntent(deps, job.target, await openRepo(deps, job.target), intent);
        return handleIntent(deps, job);
      }
    }
  };
}

async function handleRunJob(deps: WorkerDeps, job: Extract<Job, { kind: "reconcile" | "event" }>): Promise<void> {
  const ctx = await loadRunContext(deps, job.target);
  const stored = ctx.history.latest;
  if (!stored) return reportStaleRun(ctx);
  // An ended run is looked at again only while it still owes the Autopack API some calls.
  if (isTerminal(stored.state) && stored.state.mirror.pending.length === 0) return;
  if (job.kind === "event") await advance(ctx, stored, job.event);
  else await advance(ctx, stored, { type: "observe" }, mergedPulls(job.merged));
}

/** What is logged when the gate refuses someone; a refused command is answered in `commandIntent`. */
const REFUSED: Record<Exclude<Intent["type"], "command" | "tick">, string> = {
  start: "label added by a user without write access; ignored",
  review: "review by a user without write access; not used as feedback",
  "rerun-audit": "audit re-run by a user without write access; ignored",
};

type CommandJob = Extract<Job, { kind: "intent" }> & { intent: Extract<Intent, { type: "command" }> };

/**
 * `/autopack …` in a comment. Who asks is decided before anything else is read, cheapest first: a
 * comment without a command costs nothing, the webhook's word that the sender has no write access
 * costs nothing, a refusal this process heard a moment ago costs nothing, then the permission gate
 * asks GitHub once. Someone refused gets one reply per issue and their command goes no further; no
 * run is loaded for them. A command written on a phase PR is then handed to the run's issue, where
 * it passes the gate again.
 */
async function handleCommand(deps: WorkerDeps, refusals: Refusals, job: CommandJob, id: string): Promise<void> {
  const { intent, target } = job;
  if (parseCommand(intent.body) === null) return;
  const known = refusals.knownNotToSteer(target, intent.sender, intent.outsider === true);
  if (known && refusals.answered(target, intent.sender)) return;
  const opened = await openRepo(deps, target);
  const decision: SteerDecision = known ? { allowed: false, role: "none" } : await opened.steer(intent.sender);
  if (!decision.allowed) {
    refusals.noteRefused(target, intent.sender);
    if (refusals.answered(target, intent.sender)) return;
    deps.log.info({ issue: target, sender: intent.sender, role: decision.role }, "command from a user without write access; refused");
    await replyNoPermission(opened, target.issue, intent.sender, await ourComments(deps, opened));
    refusals.noteAnswered(target, intent.sender);
    return;
  }
  if (intent.onPullRequest !== null && intent.phaseId === null) {
    // A command on a PR: find the run's issue from the phase branch, then handle it under that issue's key.
    const pr = await opened.github.pull(intent.onPullRequest);
    const branch = parsePhaseBranch(pr.headRef);
    if (!branch || pr.fromFork) return;
    const runTarget = { ...target, issue: branch.issue };
    await deps.queue.enqueue({
      id: `${id}:run`,
      key: issueQueueKey(runTarget),
      job: { kind: "intent", target: runTarget, intent: { ...intent, phaseId: branch.phaseId } },
    });
    return;
  }
  const ctx = await loadRunContext(deps, target, opened);
  return commandIntent(ctx, {
    sender: intent.sender,
    commentId: intent.commentId,
    body: intent.body,
    pullNumber: intent.onPullRequest,
    phaseId: intent.phaseId,
    decision,
  });
}

/**
 * A person asked for something other than a command (a label, a review, a re-run). Every intent
 * passes the permission gate once, before the run is loaded.
 */
async function handleIntent(deps: WorkerDeps, job: Extract<Job, { kind: "intent" }>): Promise<void> {
  const { intent, target } = job;
  if (intent.type === "command" || intent.type === "tick") return;
  const opened = await openRepo(deps, target);
  const decision = await opened.steer(intent.sender);
  if (!decision.allowed) {
    deps.log.info({ issue: target, sender: intent.sender, role: decision.role, intent: intent.type }, REFUSED[intent.type]);
    return;
  }
  const ctx = await loadRunContext(deps, target, opened);
  switch (intent.type) {
    case "start":
      return startIntent(ctx, intent);
    case "review": {
      const stored = ctx.history.latest;
      if (!stored || isTerminal(stored.state) || stored.state.phases[intent.phaseId]?.pr !== intent.pullNumber) return;
      const feedback = await reviewFeedback(ctx.github, ctx.steer, intent.pullNumber, { id: intent.reviewId, body: intent.body });
      await advance(ctx, stored, { type: "changes-requested", phaseId: intent.phaseId, by: intent.sender, feedback });
      return;
    }
    case "rerun-audit": {
      const stored = ctx.history.latest;
      if (!stored || stored.state.state === "DONE_SUCCESS") return;
      await advance(ctx, stored, { type: "rerun-audit", phaseId: intent.phaseId, sha: intent.headSha });
      return;
    }
  }
}
