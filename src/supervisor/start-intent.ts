import { formatPlanProblems } from "../plan/format-problems.js";
import { parsePlan } from "../plan/parse-plan.js";
import { codeSpan } from "../policy/outbound.js";
import { advance, reportConfigProblems } from "./advance.js";
import type { Intent } from "./jobs.js";
import { LABELS, RUN_LABELS } from "./labels.js";
import type { RunContext } from "./run-context.js";
import { isTerminal } from "./run-state.js";
import { nextRunNumber } from "./run-store.js";
import { newRunState } from "./start-run.js";

export const PLAN_ERROR_MARKER = "<!-- autopack:plan-error -->";
export const PLAN_CHANGED_MARKER = "<!-- autopack:plan-changed -->";

/**
 * The trigger label was added by someone the permission gate let through. Starts a run when the label
 * is the configured one, no run of the issue is active, and the plan in the issue body is valid.
 *
 * The plan a run builds is the one the labeller vouched for: the issue body the labelled webhook
 * carried, as it was when the label was added. GitHub does not say who edited an issue body since,
 * so a body that differs now (the author, or anyone, edited it after the label went on) starts
 * nothing, and the issue says why and how to go on. The plan then lives in the run's signed state:
 * nothing later (a retry, a redelivered label, a restart) reads the issue body again.
 */
export async function startIntent(ctx: RunContext, intent: Extract<Intent, { type: "start" }>): Promise<void> {
  const { sender, label } = intent;
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
  if (issue.body !== intent.body) {
    await github.ensureComment(
      ref.issue,
      PLAN_CHANGED_MARKER,
      [
        `Autopack did not start: the plan in this issue changed after @${sender} added the ${codeSpan(config.label)} label.`,
        "",
        "A run builds only the plan a person with write access vouched for by adding the label. Someone with write access should read the plan as it is now, then remove the label and add it again.",
      ].join("\n"),
      ctx.isOurs,
      ctx.comments,
    );
    log.info({ issue: ref, sender }, "plan changed after it was labelled; not started");
    return;
  }
  const parsed = parsePlan(intent.body);
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
    n: nextRunNumber(ctx.history, await github.labelEvents(ref.issue)),
    startedBy: sender,
    now: deps.now(),
  });
  log.info({ issue: ref, runId: state.run_id, form: parsed.form, phases: parsed.plan.phases.length }, "run started");
  await advance(ctx, { commentId: null, state }, { type: "observe" });
}
