import type { RepoConfig } from "../config/repo-config.js";
import { formatPlanProblems } from "../plan/format-problems.js";
import { parsePlan } from "../plan/parse-plan.js";
import type { Plan } from "../plan/schema.js";
import { codeSpan } from "../policy/outbound.js";
import { advance, reportConfigProblems } from "./advance.js";
import type { Intent } from "./jobs.js";
import { LABELS, RUN_LABELS } from "./labels.js";
import type { RunContext } from "./run-context.js";
import { isTerminal } from "./run-state.js";
import { nextRunNumber } from "./run-store.js";
import { newRunState } from "./start-run.js";
import { findPlanComment, hasPlanForm, isAsProposed } from "./plan-comment.js";

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
  const { deps, github, ref } = ctx;
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
  // An issue whose body has no plan but that has Autopack's proposed plan: the labeller vouches for
  // that comment's text as it is now (only writers can edit it).
  const proposal = hasPlanForm(intent.body) ? null : findPlanComment(ctx);
  const parsed = parsePlan(proposal?.body ?? intent.body);
  if (!parsed.ok) {
    await refusePlan(ctx, formatPlanProblems(parsed.problems, { label: config.label }));
    log.info({ issue: ref, problems: parsed.problems.length }, "plan refused");
    return;
  }
  await beginRun(ctx, config, { plan: parsed.plan, sender, labels: issue.labels, approvedBy: null, proposal: proposal?.body ?? null });
  log.info({ issue: ref, form: parsed.form, from: proposal ? "plan comment" : "issue body" }, "run started");
}

/** Says why a plan cannot run (once per issue, edited in place), and marks the issue. */
export async function refusePlan(ctx: RunContext, text: string): Promise<void> {
  await ctx.github.ensureComment(ctx.ref.issue, PLAN_ERROR_MARKER, text, ctx.isOurs, ctx.comments);
  await ctx.github.addLabels(ctx.ref.issue, [LABELS.invalid]);
}

/**
 * Starts a run of `plan`, the text a writer vouched for: stale state labels go, the run's state is
 * written in its first status comment, and the first turn is taken. With `require_plan_approval` the
 * run waits there for approvals; `approvedBy` is a writer whose `/autopack approve` started it.
 */
export async function beginRun(
  ctx: RunContext,
  config: RepoConfig,
  args: { plan: Plan; sender: string; labels: readonly string[]; approvedBy: string | null; proposal: string | null },
): Promise<void> {
  const { github, ref, repo, deps } = ctx;
  for (const stale of [LABELS.invalid, ...RUN_LABELS]) {
    if (args.labels.includes(stale)) await github.removeLabel(ref.issue, stale);
  }
  const state = newRunState({
    plan: args.plan,
    repoId: repo.id,
    issue: ref.issue,
    n: nextRunNumber(ctx.history, await github.labelEvents(ref.issue)),
    startedBy: args.sender,
    now: deps.now(),
    approval: config.require_plan_approval ? { needed: config.approvals, by: args.approvedBy ? [args.approvedBy] : [] } : null,
    planFrom:
      args.proposal === null ? "issue" : isAsProposed(args.proposal, deps.stateKey, repo.id, ref.issue) ? "proposal" : "edited-proposal",
  });
  deps.log.bind?.({ runId: state.run_id });
  deps.log.info({ issue: ref, runId: state.run_id, phases: args.plan.phases.length }, "run created");
  await advance(ctx, { commentId: null, state }, { type: "observe" });
}
