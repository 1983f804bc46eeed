import { parsePhaseBranch } from "../github/branches.js";
import { issueQueueKey, type AppJobHandler as JobHandler, type Intent, type Job } from "./jobs.js";
import { advance } from "./advance.js";
import { commandIntent } from "./command-intent.js";
import { parseCommand } from "./commands.js";
import type { WorkerDeps } from "./deps.js";
import { reviewFeedback } from "./review-feedback.js";
import { loadRunContext, openRepo } from "./run-context.js";
import { isTerminal } from "./run-state.js";
import { startIntent } from "./start-intent.js";
import { handleAuditJob, handleBuildJob } from "./work-jobs.js";

/** Runs one job of any kind. Throwing makes the queue retry it with backoff. */
export function createJobHandler(deps: WorkerDeps): JobHandler {
  return async (job, meta) => {
    switch (job.kind) {
      case "build":
        return handleBuildJob(deps, job);
      case "audit":
        return handleAuditJob(deps, job);
      case "reconcile":
      case "event":
        return handleRunJob(deps, job);
      case "intent":
        return handleIntent(deps, job, meta.id);
    }
  };
}

async function handleRunJob(deps: WorkerDeps, job: Extract<Job, { kind: "reconcile" | "event" }>): Promise<void> {
  const ctx = await loadRunContext(deps, job.target);
  const stored = ctx.history.latest;
  // An ended run is looked at again only while it still owes the Autopack API some calls.
  if (!stored || (isTerminal(stored.state) && stored.state.mirror.pending.length === 0)) return;
  await advance(ctx, stored, job.kind === "event" ? job.event : { type: "observe" });
}

/** What is logged when the gate refuses someone; a refused command is answered in `commandIntent`. */
const REFUSED: Record<Exclude<Intent["type"], "command">, string> = {
  start: "label added by a user without write access; ignored",
  review: "review by a user without write access; not used as feedback",
  "rerun-audit": "audit re-run by a user without write access; ignored",
};

/**
 * A person asked for something. Every intent passes the permission gate once, before the run is
 * loaded; a command is read first (a comment without one costs no request), and a command written on
 * a phase PR is first handed to the run's issue, where it passes the gate.
 */
async function handleIntent(deps: WorkerDeps, job: Extract<Job, { kind: "intent" }>, id: string): Promise<void> {
  const { intent, target } = job;
  if (intent.type === "command" && parseCommand(intent.body) === null) return;
  const opened = await openRepo(deps, target);
  if (intent.type === "command" && intent.onPullRequest !== null && intent.phaseId === null) {
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
  const decision = await opened.steer(intent.sender);
  if (!decision.allowed && intent.type !== "command") {
    deps.log.info({ issue: target, sender: intent.sender, role: decision.role, intent: intent.type }, REFUSED[intent.type]);
    return;
  }
  const ctx = await loadRunContext(deps, target, opened);
  switch (intent.type) {
    case "start":
      return startIntent(ctx, intent);
    case "command":
      return commandIntent(ctx, {
        sender: intent.sender,
        commentId: intent.commentId,
        body: intent.body,
        pullNumber: intent.onPullRequest,
        phaseId: intent.phaseId,
        decision,
      });
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
