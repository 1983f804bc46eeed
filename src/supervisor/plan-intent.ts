import { proposePlan, problemText } from "../planner/propose-plan.js";
import { forCodeBlock, fenceFor, forPlainLine } from "../policy/outbound.js";
import { reply } from "./act.js";
import { reportConfigProblems } from "./advance.js";
import { findPlanComment, hasPlanForm, PLAN_PROPOSAL_ERROR_MARKER, renderPlanComment, sealPlanComment } from "./plan-comment.js";
import type { RunContext } from "./run-context.js";
import { isTerminal } from "./run-state.js";

/**
 * `/autopack plan` from a writer, on an issue: the Builder's model proposes tiers and phases, which
 * the plan parser must accept before anything is posted (one repair round), and the plan is posted
 * as the app's plan comment (a new proposal replaces the old one in place). Whether it was carried out.
 */
export async function planCommand(ctx: RunContext, sender: string, onPullRequest: number | null): Promise<boolean> {
  const { deps, github, ref } = ctx;
  if (onPullRequest !== null) {
    await reply(ctx, onPullRequest, "`/autopack plan` works on an issue, not on a pull request.");
    return false;
  }
  if (!ctx.config.ok) {
    await reportConfigProblems(ctx, ctx.config.problems);
    return false;
  }
  const config = ctx.config.config;
  const latest = ctx.history.latest;
  if (latest && !isTerminal(latest.state)) {
    await reply(ctx, ref.issue, `This issue already has a run (\`${latest.state.run_id}\`); its plan is fixed for its life.`);
    return false;
  }
  const issue = await github.issue(ref.issue);
  if (issue.isPullRequest) return false;
  if (hasPlanForm(issue.body)) {
    await reply(
      ctx,
      ref.issue,
      `This issue already has a plan in its body: Autopack proposes none. Add the \`${config.label}\` label to start a run from it.`,
    );
    return false;
  }
  const result = await proposePlan({
    llm: deps.llm,
    github,
    issue: { number: issue.number, title: issue.title, body: issue.body },
    branch: config.base ?? ctx.repo.defaultBranch,
    deniedPaths: config.denied_paths,
    contextTokens: config.context_tokens,
    purposeRunId: `plan-${ctx.repo.id}-${ref.issue}`,
  });
  deps.log.info({ issue: ref, ok: result.ok, tokens: result.tokens }, "plan proposed");
  if (!result.ok) {
    const body =
      result.kind === "model"
        ? [
            PLAN_PROPOSAL_ERROR_MARKER,
            "### Autopack could not propose a plan",
            "",
            `The model could not be asked, or did not answer in shape: ${forPlainLine(result.message, 300)}`,
            "",
            "Comment `/autopack plan` to try again, or write the plan in the issue body yourself.",
          ]
        : [
            PLAN_PROPOSAL_ERROR_MARKER,
            "### Autopack could not propose a valid plan",
            "",
            "The model's plan was refused by the plan parser twice (once after a repair round). What is wrong with the last one (lines of the block below):",
            "",
            ...result.problems.map((p) => `- ${forPlainLine(problemText(p), 300)}`),
            "",
            "<details><summary>The refused plan</summary>",
            "",
            `${fenceFor(result.block)}yaml\n${forCodeBlock(result.block)}\n${fenceFor(result.block)}`,
            "",
            "</details>",
            "",
            "Comment `/autopack plan` to try again, or write the plan in the issue body yourself.",
          ];
    await github.ensureComment(ref.issue, PLAN_PROPOSAL_ERROR_MARKER, body.join("\n"), ctx.isOurs, ctx.comments);
    return false;
  }
  const text = sealPlanComment(
    renderPlanComment({ block: result.block, summary: result.summary, requestedBy: sender, label: config.label }),
    deps.stateKey,
    ctx.repo.id,
    ref.issue,
  );
  const existing = findPlanComment(ctx);
  if (existing) await github.updateComment(existing.id, text);
  else await github.createComment(ref.issue, text);
  return true;
}
