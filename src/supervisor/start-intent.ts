import { formatPlanProblems } from "../plan/format-problems.js";
import { parsePlan } from "../plan/parse-plan.js";
import { advance, reportConfigProblems } from "./advance.js";
import { LABELS, RUN_LABELS } from "./labels.js";
import type { RunContext } from "./run-context.js";
import { isTerminal } from "./run-state.js";
import { newRunState } from "./start-run.js";

export const PLAN_ERROR_MARKER = "<!-- autopack:plan-error -->";

/**
 * The trigger label was added by someone the permission gate let through. Starts a run when the label
 * is the configured one, no run of the issue is active, and the plan in the issue body is valid.
 */
export async function startIntent(ctx: RunContext, sender: string, label: string): Promise<void> {
  const { deps, github, ref, repo } = ctx;
  const log = deps.log;
  if (!ctx.config.ok) {
    await reportConfigProblems(ctx, ctx.config.problems, true);
    return;
  }
  const config = ctx.config.config;
  if (label !== config.label) {
    log.debug({ issue: ref, label }, "label is not the trigger label; ignored");
    return;
  }
  const latest = ctx.history.latest;
  if (latest && !isTerminal(latest.state)) {
    // A redelivery, or a retry of this job after the status comment was written: make sure
    // everything the run's state calls for is done, and start nothing new.
    log.info({ issue: ref, runId: latest.state.run_id }, "the issue already has an active run; reconciling it instead");
    await advance(ctx, latest, { type: "observe" });
    return;
  }
  const issue = await github.issue(ref.issue);
  if (issue.isPullRequest) {
    log.info({ issue: ref }, "trigger label on a pull request; ignored");
    return;
  }
  const parsed = parsePlan(issue.body);
  if (!parsed.ok) {
    await github.ensureComment(
      ref.issue,
      PLAN_ERROR_MARKER,
      formatPlanProblems(parsed.problems, { label: config.label }),
      ctx.isOurs,
      ctx.comments,
    );
    await github.addLabels(ref.issue, [LABELS.invalid]);
    log.info({ issue: ref, problems: parsed.problems.length }, "plan refused");
    return;
  }
  for (const stale of [LABELS.invalid, ...RUN_LABELS]) {
    if (issue.labels.includes(stale)) await github.removeLabel(ref.issue, stale);
  }
  const state = newRunState({
    plan: parsed.plan,
    repoId: repo.id,
    issue: ref.issue,
    n: ctx.history.count + 1,
    startedBy: sender,
    now: deps.now(),
  });
  log.info({ issue: ref, runId: state.run_id, form: parsed.form, phases: parsed.plan.phases.length }, "run started");
  await advance(ctx, { commentId: null, state }, { type: "observe" });
}
