import { advance, reportStaleRun } from "./advance.js";
import { approveCommand, skipRefusal } from "./command-intent.js";
import { describeAction, isTicked, newlyTicked, type PanelAction } from "./control-panel.js";
import type { SupervisorEvent } from "./events.js";
import type { Intent } from "./jobs.js";
import { loadRunContext, type JobGitHub, type RunContext } from "./run-context.js";
import type { WorkerDeps } from "./deps.js";
import type { IssueKey } from "./jobs.js";
import type { StoredRun } from "./run-store.js";

type Tick = Extract<Intent, { type: "tick" }>;

/**
 * Boxes ticked in a status comment's control panel. A writer's tick acts as the command would, once:
 * only boxes this edit ticked count, and only while the comment still shows them ticked (the app's
 * next rendering unticks them, so a redelivered webhook finds nothing to do). Anyone else's tick is
 * undone by rendering the comment again, with one short note per person. The app's own renderings
 * never hold a ticked box, so its own edits never come here.
 */
export async function tickIntent(deps: WorkerDeps, target: IssueKey, opened: JobGitHub, tick: Tick): Promise<void> {
  const ticked = newlyTicked(tick.from, tick.body);
  if (ticked.length === 0) return;
  const decision = await opened.steer(tick.sender);
  let ctx = await loadRunContext(deps, target, opened);
  const stored = ctx.history.latest;
  if (!stored) return reportStaleRun(ctx);
  // Only the run's current status comment has a live panel; an older run's comment is left as it is.
  if (stored.commentId !== tick.commentId) return;
  if (!decision.allowed) {
    if (!ticked.some((a) => isTicked(stored.body, a))) return;
    deps.log.info(
      { issue: target, sender: tick.sender, role: decision.role },
      "control panel ticked by a user without write access; undone",
    );
    await advance(ctx, stored, { type: "observe" });
    await ctx.github.ensureComment(
      target.issue,
      `<!-- autopack:panel-refused user=${tick.sender} -->`,
      `@${tick.sender}, only people with write access can use Autopack's control panel: your tick was undone.`,
      ctx.isOurs,
      ctx.comments,
    );
    return;
  }
  let current: StoredRun | null = stored;
  for (const action of ticked) {
    if (current === null || current.commentId !== tick.commentId || !isTicked(current.body, action)) continue;
    deps.log.info({ issue: target, sender: tick.sender, action: describeAction(action) }, "control panel ticked");
    await act(ctx, current, action, tick.sender);
    // Each action is a turn of its own, on the state the last one wrote; the comment shows the rest still ticked.
    ctx = await loadRunContext(deps, target, opened);
    current = ctx.history.latest;
  }
  // Whatever was not carried out is unticked by a fresh rendering.
  if (current !== null && current.commentId === tick.commentId && ticked.some((a) => isTicked(current!.body, a)))
    await advance(ctx, current, { type: "observe" });
}

async function act(ctx: RunContext, stored: StoredRun, action: PanelAction, by: string): Promise<void> {
  let event: SupervisorEvent;
  switch (action.kind) {
    case "approve":
      await approveCommand(ctx, by, ctx.ref.issue);
      return;
    case "cancel":
      event = { type: "cancel", by };
      break;
    case "retry":
      event = { type: "retry", by, phases: [action.phaseId], feedback: {} };
      break;
    case "skip": {
      const why = skipRefusal(stored.state, action.phaseId);
      if (why !== null) {
        await advance(ctx, stored, { type: "observe" });
        return;
      }
      event = { type: "skip", by, phaseId: action.phaseId };
      break;
    }
  }
  await advance(ctx, stored, event);
}
