import { forMarkdownLine } from "../policy/outbound.js";
import { ensureLongWork, performActions, scheduleMirrorRetry, scheduleTimeouts, syncLabels } from "./act.js";
import { decide } from "./decide.js";
import type { SupervisorEvent } from "./events.js";
import { LABELS } from "./labels.js";
import { flushMirror } from "./mirror-flush.js";
import { observePhases, type KnownPulls } from "./observe-github.js";
import type { RunContext } from "./run-context.js";
import type { RunState } from "./run-state.js";
import { saveStatus, type StoredRun } from "./run-store.js";
import type { BlockBinding } from "./state-codec.js";
import { fitStatus } from "./state-budget.js";
import { renderStatusComment } from "./status-comment.js";

export const CONFIG_ERROR_MARKER = "<!-- autopack:config-error -->";

/** Reports an invalid `.github/autopack.yml` on the issue and marks it; nothing else happens. */
export async function reportConfigProblems(ctx: RunContext, problems: string[], starting = false): Promise<void> {
  const body = [
    "Autopack cannot use this repository's `.github/autopack.yml` (read from the default branch):",
    "",
    ...problems.map((p) => `- ${forMarkdownLine(p)}`),
    "",
    starting
      ? "Fix the file on the default branch, then remove the label that starts Autopack and add it again."
      : "Fix the file on the default branch; the run goes on with the next event (or comment `/autopack status`).",
  ].join("\n");
  await ctx.github.ensureComment(ctx.ref.issue, CONFIG_ERROR_MARKER, body, ctx.isOurs, ctx.comments);
  await ctx.github.addLabels(ctx.ref.issue, [LABELS.invalid]);
  ctx.deps.log.warn({ issue: ctx.ref, problems }, "invalid repository configuration");
}

/**
 * The issue's latest run holds a block that is authentic but not the app's last write of its status
 * comment (pasted back, or left over): Autopack cannot tell which state is the latest, so it does not
 * act on it, and says so once.
 */
export async function reportStaleRun(ctx: RunContext): Promise<void> {
  const stale = ctx.history.stale;
  if (stale === null) return;
  const body = [
    `Autopack has stopped working on run \`${stale.runId}\`: its status comment cannot be trusted any more, because ${stale.why}.`,
    "Autopack keeps a run's state only in that comment, so it cannot tell whether the state there is the latest, and does not act on it.",
    "",
    "To go on, remove the label that starts Autopack and add it again: a new run starts from the plan. Open pull requests of this run are left as they are.",
  ].join("\n");
  await ctx.github.ensureComment(
    ctx.ref.issue,
    `<!-- autopack:state-refused comment=${stale.commentId} -->`,
    body,
    ctx.isOurs,
    ctx.comments,
  );
  ctx.deps.log.warn(
    { issue: ctx.ref, runId: stale.runId, comment: stale.commentId, why: stale.why },
    "status comment refused: not the app's latest write",
  );
}

/**
 * One turn of the controller for a run: observe GitHub, decide, send pending mirror calls, record the
 * new state in the status comment, then act. The state is written before the work it asks for is
 * queued, so a crash in between loses nothing: the next reconcile queues it again.
 */
export async function advance(
  ctx: RunContext,
  stored: StoredRun | { commentId: null; state: RunState },
  event: SupervisorEvent,
  known?: KnownPulls,
): Promise<RunState | null> {
  const { deps } = ctx;
  if (!ctx.config.ok) {
    await reportConfigProblems(ctx, ctx.config.problems);
    return null;
  }
  const config = ctx.config.config;
  const baseBranch = config.base ?? ctx.repo.defaultBranch;
  const now = deps.now();
  let decision = decide({
    state: stored.state,
    event,
    observations: await observePhases(ctx.github, stored.state, baseBranch, known),
    config,
    now,
  });
  // A build that just finished has a PR nobody has looked at yet: observe again so its checks
  // (or their absence) count now rather than at the next event.
  for (let pass = 0; pass < 2 && needsFreshLook(stored.state, decision.state); pass++) {
    const observations = await observePhases(ctx.github, decision.state, baseBranch, known);
    const next = decide({ state: decision.state, event: { type: "observe" }, observations, config, now });
    decision = { state: next.state, actions: [...decision.actions, ...next.actions] };
  }
  // Sending the mirror calls is the turn's one change to the state after `decide`: what the service
  // took leaves the run's mirror record.
  const flushed: RunState = {
    ...decision.state,
    mirror: await flushMirror(decision.state.run_id, decision.state.mirror, deps.api, deps.log),
  };
  deps.metrics?.mirrorPending(flushed.run_id, flushed.mirror.pending.length);
  const saved = stored.commentId === null ? null : (stored as StoredRun);
  const render = (s: RunState, binding: BlockBinding) =>
    renderStatusComment({
      state: s,
      config,
      models: [deps.models.builder, deps.models.auditor],
      now,
      repoUrl: ctx.repo.htmlUrl,
      key: deps.stateKey,
      mirroring: deps.api.enabled,
      binding,
    });
  // The record must fit its comment, whatever the turn added: what does not fit is cut, and said.
  // (Measured with the binding of the next write: its numbers are all that differs.)
  const next: BlockBinding = { commentId: saved?.commentId ?? 0, rev: (saved?.binding.rev ?? 0) + 1, writtenAt: now.toISOString() };
  const { state } = fitStatus(flushed, (s) => render(s, next));
  await saveStatus(ctx.github, ctx.ref.issue, saved, (binding) => render(state, binding), deps.written);
  await syncLabels(ctx, state);
  await performActions(ctx, state, config, decision.actions);
  await ensureLongWork(ctx, state);
  await scheduleTimeouts(ctx, state, config, now);
  await scheduleMirrorRetry(ctx, state);
  deps.log.info(
    { runId: state.run_id, event: event.type, state: state.state, actions: decision.actions.map((a) => a.type) },
    "run reconciled",
  );
  return state;
}

/** Phases that now wait for checks but were not observed in that step before this decision. */
function needsFreshLook(before: RunState, after: RunState): boolean {
  return Object.entries(after.phases).some(([id, rec]) => {
    const was = before.phases[id];
    return rec.step === "checks" && rec.pr !== null && (was?.step !== "checks" || was.pr === null || was.head_sha !== rec.head_sha);
  });
}
