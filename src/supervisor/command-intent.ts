import type { IssueComment, RepoGitHub } from "../github/door.js";
import { forCodeSpan } from "../policy/outbound.js";
import { reply } from "./act.js";
import { advance, reportStaleRun } from "./advance.js";
import { HELP_TEXT, parseCommand } from "./commands.js";
import type { SupervisorEvent } from "./events.js";
import { reviewFeedback } from "./review-feedback.js";
import type { RunContext } from "./run-context.js";
import type { SteerDecision } from "./steer-gate.js";

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
  else {
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
