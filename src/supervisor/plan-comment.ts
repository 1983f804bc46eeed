import type { IssueComment } from "../github/door.js";
import { codeSpan, forPlainLine } from "../policy/outbound.js";
import type { RunContext } from "./run-context.js";

/**
 * The plan Autopack proposes for an issue (`/autopack plan`) lives in a comment of the app's own,
 * marked so the app finds it again. Only the app and people with write access can edit that comment
 * on GitHub, so whatever it says when a writer approves it (or labels the issue) is a plan a writer
 * vouched for; the run keeps that text in its signed state, and later edits change nothing.
 */
export const PLAN_PROPOSAL_MARKER = "<!-- autopack:plan-proposal -->";
export const PLAN_PROPOSAL_ERROR_MARKER = "<!-- autopack:plan-proposal-error -->";

/** The app's latest plan comment on the issue, or null. */
export function findPlanComment(ctx: Pick<RunContext, "comments" | "isOurs">): IssueComment | null {
  return ctx.comments.filter((c) => ctx.isOurs(c) && c.body.includes(PLAN_PROPOSAL_MARKER)).at(-1) ?? null;
}

/**
 * Whether a body is written in one of the plan forms (a block tagged `autopack`, or `## Tier`
 * headings), valid or not: such an issue has a plan of its own, and a proposal is not wanted.
 */
export function hasPlanForm(body: string): boolean {
  return /^ {0,3}(`{3,}|~{3,})[ \t]*autopack\b/im.test(body) || /^ {0,3}##[ \t]+Tier\b/im.test(body);
}

export function renderPlanComment(args: { block: string; summary: string; requestedBy: string; label: string }): string {
  return [
    PLAN_PROPOSAL_MARKER,
    `### Autopack's proposed plan`,
    "",
    `Asked for by @${args.requestedBy}. ${forPlainLine(args.summary, 600)}`,
    "",
    args.block,
    "",
    `People with write access can edit this comment to change the plan. Then comment \`/autopack approve\`, or add the ${codeSpan(args.label)} label, to start a run from this plan as it is at that moment; later edits do not change a run that has started.`,
  ].join("\n");
}
