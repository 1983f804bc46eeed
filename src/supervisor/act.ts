import type { Action } from "./events.js";
import { renderFinalSummary, summaryMarker } from "./final-summary.js";
import { desiredLabels, RUN_LABELS } from "./labels.js";
import type { RunContext } from "./run-context.js";
import type { RunState } from "./run-state.js";
import type { RepoConfig } from "../config/repo-config.js";
import { fenceFor, forCodeBlock, forPlainLine } from "../policy/outbound.js";
import { issueQueueKey, reconcileTag } from "./jobs.js";
import { expectedChecksWaitMs } from "./decide-level.js";

/** Queues the long work a run's state calls for. Ids are run/phase/attempt, so this is idempotent. */
export async function ensureLongWork(ctx: RunContext, state: RunState): Promise<void> {
  for (const [phaseId, rec] of Object.entries(state.phases)) {
    if (rec.step === "building") {
      await ctx.deps.queue.enqueue({
        id: `build:${state.run_id}/${phaseId}/${rec.builder_attempts}`,
        key: `work:${state.run_id}/${phaseId}`,
        job: {
          kind: "build",
          target: ctx.target,
          runId: state.run_id,
          phaseId,
          attempt: rec.builder_attempts,
          feedback: rec.feedback,
          startOver: rec.start_over,
        },
      });
    } else if (rec.step === "auditing" && rec.head_sha !== null && rec.pr !== null) {
      await ctx.deps.queue.enqueue({
        id: `audit:${state.run_id}/${phaseId}/${rec.auditor_attempts}`,
        key: `work:${state.run_id}/${phaseId}`,
        job: {
          kind: "audit",
          target: ctx.target,
          runId: state.run_id,
          phaseId,
          attempt: rec.auditor_attempts,
          sha: rec.head_sha,
          pr: rec.pr,
        },
      });
    }
  }
}

/**
 * Queues a reconcile for when a phase's wait for checks times out: no event may ever come from a
 * check that never finishes, and the run must not wait forever.
 */
export async function scheduleTimeouts(ctx: RunContext, state: RunState, config: RepoConfig, now: Date): Promise<void> {
  for (const [phaseId, rec] of Object.entries(state.phases)) {
    if (rec.step !== "checks") continue;
    const since = Date.parse(rec.since);
    // Checks that were expected but never started stop being waited for first (no event says so).
    const looks: [string, number][] = [
      ["expected", since + expectedChecksWaitMs(config) + 1_000],
      ["timeout", since + config.ci.timeout_minutes * 60_000 + 1_000],
    ];
    for (const [what, due] of looks) {
      await ctx.deps.queue.enqueue({
        id: `${what}:${state.run_id}/${phaseId}/${rec.builder_attempts}/${rec.since}`,
        key: issueQueueKey(ctx.target),
        job: { kind: "reconcile", target: ctx.target, reason: `checks ${what === "timeout" ? "time-out" : "expected"} of ${phaseId}` },
        delayMs: Math.max(0, due - now.getTime()),
        coalesce: reconcileTag(ctx.target),
      });
    }
  }
}

/** Mirror calls the Autopack API did not take are sent again after `mirrorRetryMs`, event or not. */
export async function scheduleMirrorRetry(ctx: RunContext, state: RunState): Promise<void> {
  if (state.mirror.pending.length === 0) return;
  const delay = ctx.deps.mirrorRetryMs;
  await ctx.deps.queue.enqueue({
    id: `mirror:${state.run_id}/${Math.floor(Date.now() / delay)}`,
    key: issueQueueKey(ctx.target),
    job: { kind: "reconcile", target: ctx.target, reason: "pending mirror calls" },
    delayMs: delay,
    coalesce: reconcileTag(ctx.target),
  });
}

/** Puts the run's state labels on the issue and takes off the ones that no longer apply. */
export async function syncLabels(ctx: RunContext, state: RunState): Promise<void> {
  const issue = await ctx.github.issue(ctx.ref.issue);
  const wanted = desiredLabels(state);
  const missing = [...wanted].filter((l) => !issue.labels.includes(l));
  await ctx.github.addLabels(ctx.ref.issue, missing);
  for (const label of RUN_LABELS) {
    if (!wanted.has(label) && issue.labels.includes(label)) await ctx.github.removeLabel(ctx.ref.issue, label);
  }
}

export async function performActions(ctx: RunContext, state: RunState, config: RepoConfig, actions: Action[]): Promise<void> {
  const { github, deps, repo } = ctx;
  for (const action of actions) {
    switch (action.type) {
      case "build":
      case "audit":
        break; // queued by ensureLongWork from the recorded state
      case "merge": {
        const merge = await github.mergePull(action.pr, action.sha);
        if (!merge.merged) {
          // Branch protection, a required review or a conflict: people take it from here.
          await github.ensureComment(
            action.pr,
            `<!-- autopack:merge-refused run=${state.run_id} phase=${action.phaseId} sha=${action.sha} -->`,
            `Autopack approved this pull request but GitHub refused to merge it (${merge.status}: ${forPlainLine(merge.message)}). Merge it yourself once it can be merged; the run goes on when it is merged.`,
            ctx.isOurs,
          );
        }
        break;
      }
      case "overrule-audit": {
        const summary = `Autopack does not stand by this verdict: ${forPlainLine(action.reason, 500)}. Phase ${action.phaseId} of run \`${state.run_id}\` went on from here; see the run's status comment on #${ctx.ref.issue}.`;
        await github.overruleAuditChecks(action.sha, { conclusion: "failure", title: "Withdrawn: the verdict no longer stands", summary });
        break;
      }
      case "escalate": {
        const rec = action.phaseId ? state.phases[action.phaseId] : undefined;
        const marker = `<!-- autopack:escalation run=${state.run_id} phase=${action.phaseId ?? "-"} attempt=${rec?.builder_attempts ?? 0}/${rec?.auditor_attempts ?? 0} -->`;
        const what = action.phaseId ? `Phase ${action.phaseId} needs a person` : "This run needs a person";
        await github.ensureComment(
          ctx.ref.issue,
          marker,
          `@${state.started_by} ${what}: ${forPlainLine(action.reason, 1_000)}${proposedChange(action.details)}\n\nFix what is needed (or push to the phase branch), then comment \`/autopack retry${action.phaseId ? ` ${action.phaseId}` : ""}\`.`,
          ctx.isOurs,
          ctx.comments,
        );
        break;
      }
      case "finish": {
        const remote = await deps.api.runSummary(state.run_id);
        const body = renderFinalSummary(state, config, repo.htmlUrl, remote, [deps.models.builder, deps.models.auditor]);
        await github.ensureComment(ctx.ref.issue, summaryMarker(state.run_id), body, ctx.isOurs, ctx.comments);
        break;
      }
    }
  }
}

/**
 * The change a person is asked to review, folded. It is shown as the app shows any code (without HTML
 * comments, invisible characters or secrets), and says so when that left something out.
 */
function proposedChange(details: string | undefined): string {
  if (!details) return "";
  const code = forCodeBlock(details, 20_000).replace(/\n+$/, "");
  const whole = code === details.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  const note = whole ? "" : "\n\nShown in part: HTML comments, invisible characters or secret-shaped text were left out, or it was cut.";
  const fence = fenceFor(code);
  return `\n\n<details><summary>The proposed change</summary>${note}\n\n${fence}diff\n${code}\n${fence}\n\n</details>`;
}

export async function reply(ctx: RunContext, issueNumber: number, body: string): Promise<void> {
  await ctx.github.createComment(issueNumber, body);
}
