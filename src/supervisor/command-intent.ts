import type { IssueComment, RepoGitHub } from "../github/door.js";
import { forCodeSpan } from "../policy/outbound.js";
import { reply } from "./act.js";
import { advance, reportConfigProblems, reportStaleRun } from "./advance.js";
import { HELP_TEXT, parseCommand } from "./commands.js";
import type { SupervisorEvent } from "./events.js";
import { reviewFeedback } from "./review-feedback.js";
import type { RunContext } from "./run-context.js";
import type { SteerDecision } from "./steer-gate.js";
import { formatPlanProblems } from "../plan/format-problems.js";
import { parsePlan } from "../plan/parse-plan.js";
import { findPlanComment } from "./plan-comment.js";
import { planCommand } from "./plan-intent.js";
import { approvalsMissing, isTerminal, type RunState } from "./run-state.js";
import { beginRun, refusePlan } from "./start-intent.js";

export interface CommandArgs {
  sender: string;
  commentId: number;
  body: string;
  /** The phase PR the comment was written on, or null for the run's issue. */
  pullNumber: number | null;
  /** The phase of that PR. */
  phaseId: string | null;
  /** What the permission gate said about the sender. */
  decision: SteerDecision;
}

/**
 * The one reply someone without write access gets on an issue or pull request, however often they
 * ask: a marked comment, found again before anything is posted.
 */
export async function replyNoPermission(
  opened: { github: RepoGitHub },
  issue: number,
  sender: string,
  isOurs: (c: IssueComment) => boolean,
  comments?: IssueComment[],
): Promise<void> {
  await opened.github.ensureComment(
    issue,
    `<!-- autopack:no-permission user=${sender} -->`,
    `Sorry @${sender}, only people with write access to this repository can steer Autopack.`,
    isOurs,
    comments,
  );
}

/**
 * `/autopack …` in a comment. The app reacts 👀 when it reads the command, then 🚀 when it is carried
 * out or 😕 when it cannot be. People without write access get one polite reply at most.
 */
export async function commandIntent(ctx: RunContext, args: CommandArgs): Promise<void> {
  const { deps, github } = ctx;
  const command = parseCommand(args.body);
  if (command === null) return;
  const replyTo = args.pullNumber ?? ctx.ref.issue;
  const react = (content: "eyes" | "rocket" | "confused") => github.react(args.commentId, content);
  if (!args.decision.allowed) {
    deps.log.info({ issue: ctx.ref, sender: args.sender, role: args.decision.role }, "command from a user without write access; refused");
    await replyNoPermission(ctx, replyTo, args.sender, ctx.isOurs, replyTo === ctx.ref.issue ? ctx.comments : undefined);
    return;
  }
  await react("eyes");
  if (command.name === "help") {
    await reply(ctx, replyTo, HELP_TEXT);
    await react("rocket");
    return;
  }
  if (command.name === "unknown") {
    await reply(ctx, replyTo, `Autopack did not understand ${forCodeSpan(command.text)}.\n\n${HELP_TEXT}`);
    await react("confused");
    return;
  }
  if (command.name === "plan") {
    await react((await planCommand(ctx, args.sender, args.pullNumber)) ? "rocket" : "confused");
    return;
  }
  if (command.name === "approve") {
    await react((await approveCommand(ctx, args.sender, replyTo)) ? "rocket" : "confused");
    return;
  }
  const stored = ctx.history.latest;
  if (!stored) {
    if (ctx.history.stale !== null) await reportStaleRun(ctx);
    else
      await reply(ctx, replyTo, "There is no Autopack run on this issue. Add the `autopack` label to an issue with a plan to start one.");
    await react("confused");
    return;
  }
  let event: SupervisorEvent;
  if (command.name === "status") event = { type: "observe" };
  else if (command.name === "cancel") event = { type: "cancel", by: args.sender };
  else if (command.name === "skip") {
    const why = skipRefusal(stored.state, command.phase);
    if (why !== null) {
      await reply(ctx, replyTo, why);
      await react("confused");
      return;
    }
    event = { type: "skip", by: args.sender, phaseId: command.phase };
  } else {
    const known = new Set(stored.state.plan.phases.map((p) => p.phase_id));
    const phases = command.phases.length > 0 ? command.phases : args.phaseId ? [args.phaseId] : null;
    const unknown = (phases ?? []).filter((p) => !known.has(p));
    if (unknown.length > 0) {
      await reply(
        ctx,
        replyTo,
        `This run has no phase ${unknown.map((p) => `\`${p}\``).join(", ")}. Its phases: ${[...known].join(", ")}.`,
      );
      await react("confused");
      return;
    }
    const skipped = (phases ?? []).filter((p) => stored.state.phases[p]?.step === "skipped");
    if (skipped.length > 0) {
      await reply(
        ctx,
        replyTo,
        `${skipped.map((p) => `\`${p}\``).join(", ")} ${skipped.length === 1 ? "was" : "were"} skipped, for good: a skipped phase is not built again.`,
      );
      await react("confused");
      return;
    }
    const feedback: Record<string, string> = {};
    // Review comments count only from the phase's current PR, not an older closed one of its branch.
    if (args.pullNumber !== null && args.phaseId !== null && stored.state.phases[args.phaseId]?.pr === args.pullNumber) {
      const text = await reviewFeedback(github, ctx.steer, args.pullNumber, null);
      if (text) feedback[args.phaseId] = text;
    }
    event = { type: "retry", by: args.sender, phases, feedback };
  }
  const after = await advance(ctx, stored, event);
  await react(after ? "rocket" : "confused");
}

/** Why `/autopack skip PHASE` cannot act on this run, or null when it can. */
export function skipRefusal(state: RunState, phaseId: string): string | null {
  const rec = state.phases[phaseId];
  if (!rec) return `This run has no phase \`${phaseId}\`. Its phases: ${state.plan.phases.map((p) => p.phase_id).join(", ")}.`;
  if (rec.step === "merged") return `Phase \`${phaseId}\` is already merged: there is nothing to skip.`;
  if (rec.step === "skipped") return `Phase \`${phaseId}\` is already skipped.`;
  if (state.state === "DONE_SUCCESS") return `Run \`${state.run_id}\` is done: there is nothing to skip.`;
  return null;
}

/**
 * `/autopack approve` from a writer: counts towards a run that waits for approvals (each writer
 * once), or, with no active run, starts one from Autopack's plan comment as it is at this moment.
 * Whether it was carried out.
 */
export async function approveCommand(ctx: RunContext, sender: string, replyTo: number): Promise<boolean> {
  const stored = ctx.history.latest;
  if (stored && !isTerminal(stored.state)) {
    const state = stored.state;
    if (state.state !== "AWAITING_APPROVAL" || state.approval === null) {
      await reply(ctx, replyTo, `Run \`${state.run_id}\` does not wait for an approval: it has started.`);
      return false;
    }
    if (state.approval.by.some((b) => b.toLowerCase() === sender.toLowerCase())) {
      await reply(
        ctx,
        replyTo,
        `@${sender} has already approved run \`${state.run_id}\`; it needs ${approvalsMissing(state)} more approval${approvalsMissing(state) === 1 ? "" : "s"} from other people with write access.`,
      );
      return false;
    }
    return (await advance(ctx, stored, { type: "approve", by: sender })) !== null;
  }
  if (!ctx.config.ok) {
    await reportConfigProblems(ctx, ctx.config.problems, true);
    return false;
  }
  const proposal = findPlanComment(ctx);
  if (proposal === null) {
    await reply(
      ctx,
      replyTo,
      "There is nothing to approve here: no run waits for an approval, and Autopack has proposed no plan on this issue (`/autopack plan` asks for one).",
    );
    return false;
  }
  // What runs is the plan comment's text as it is now: the approver vouches for it, edits included.
  const parsed = parsePlan(proposal.body);
  if (!parsed.ok) {
    await refusePlan(ctx, formatPlanProblems(parsed.problems, { label: ctx.config.config.label }));
    return false;
  }
  const issue = await ctx.github.issue(ctx.ref.issue);
  await beginRun(ctx, ctx.config.config, { plan: parsed.plan, sender, labels: issue.labels, approvedBy: sender, proposal: proposal.body });
  return true;
}
