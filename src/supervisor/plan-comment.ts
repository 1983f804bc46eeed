import { createHmac, timingSafeEqual } from "node:crypto";
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

const SEAL_LINE = /^<!-- autopack:plan-seal ([A-Za-z0-9_-]+) -->\n?/m;

function sealOf(text: string, key: Buffer, repoId: number, issue: number): string {
  return createHmac("sha256", key)
    .update(`plan:${repoId}:${issue}:${text.replace(/\r\n?/g, "\n")}`)
    .digest("base64url");
}

/**
 * Seals the app's own text of a plan comment: a hidden line holds an HMAC of the rest, so the app can
 * tell later whether the comment is still as it proposed it or a person with write access edited it.
 */
export function sealPlanComment(text: string, key: Buffer, repoId: number, issue: number): string {
  return `${text}\n<!-- autopack:plan-seal ${sealOf(text, key, repoId, issue)} -->`;
}

/** Whether a plan comment is as the app wrote it (false once anyone edited it, or its seal is gone). */
export function isAsProposed(body: string, key: Buffer, repoId: number, issue: number): boolean {
  const seal = SEAL_LINE.exec(body);
  if (!seal) return false;
  const text = body.replace(SEAL_LINE, "").replace(/\n$/, "");
  const want = Buffer.from(sealOf(text, key, repoId, issue));
  const got = Buffer.from(seal[1]!);
  return want.length === got.length && timingSafeEqual(want, got);
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
