import { UNTRUSTED_NOTICE, untrustedBlock } from "../policy/untrusted.js";
import { MAX_PHASES } from "../plan/schema.js";
import { MAX_PLANNER_FILES } from "./schema.js";

/** Trusted instructions of the planner model. */
export const PLANNER_SYSTEM = [
  "You are Autopack's planner. From a GitHub issue and a look at its repository, you split the work into",
  "tiers of phases. Each phase becomes one pull request built by an LLM Builder and reviewed by an Auditor.",
  "Tiers run in order (a tier starts when every pull request of the one before is merged); the phases of",
  "one tier are built at the same time, so they must not depend on each other.",
  `Keep phases small and reviewable; a plan has at most ${MAX_PHASES} phases. Ids are short: T1, T2 for tiers,`,
  "P1, P2 for phases, unique across the plan. Give each phase a `scope` of path globs it may change and",
  "acceptance criteria a reviewer can check. Never plan changes to .github/workflows, secrets or credentials.",
  UNTRUSTED_NOTICE,
].join("\n");

export interface PlannerContext {
  title: string;
  body: string;
  listing: string;
  readme: string | null;
}

function issueSection(ctx: PlannerContext): string[] {
  return [
    "## The issue",
    untrustedBlock("issue-title", ctx.title),
    untrustedBlock("issue-body", ctx.body),
    "",
    "## Repository files",
    untrustedBlock("repository-tree", ctx.listing),
    "",
    ...(ctx.readme === null ? [] : ["## README", untrustedBlock("readme", ctx.readme), ""]),
  ];
}

export function plannerFilesPrompt(ctx: PlannerContext): string {
  return [
    ...issueSection(ctx),
    `Which files do you need to read to plan this work? List at most ${MAX_PLANNER_FILES} paths from the listing, or none.`,
  ].join("\n");
}

export function plannerProposalPrompt(ctx: PlannerContext, files: readonly string[]): string {
  return [...issueSection(ctx), ...files, "Propose the plan."].join("\n");
}

/** The repair round: the plan that was refused and what is wrong with it. */
export function plannerRepairPrompt(ctx: PlannerContext, files: readonly string[], refused: string, problems: readonly string[]): string {
  return [
    ...issueSection(ctx),
    ...files,
    "## Your previous plan",
    untrustedBlock("previous-plan", refused),
    "",
    "Autopack's plan parser refused it:",
    ...problems.map((p) => `- ${p}`),
    "",
    "Propose the plan again with these problems fixed.",
  ].join("\n");
}
