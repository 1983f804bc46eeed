import { forPlainLine, forTableCell } from "../policy/outbound.js";
import type { RunSummary } from "../autopack-api/schemas.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { RunState } from "./run-state.js";
import { estimateCost, formatTokens, runHeadline } from "./run-text.js";
import { phaseStateOf } from "./transitions.js";

export function summaryMarker(runId: string): string {
  return `<!-- autopack:summary run=${runId} -->`;
}

/**
 * The comment posted once when a run ends: per phase attempts, tokens, verdict and PR. Built from the
 * orchestrator's run summary when the mirror is on and answers, from the run's own state otherwise.
 */
export function renderFinalSummary(
  state: RunState,
  config: RepoConfig,
  repoUrl: string,
  remote: RunSummary | null,
  models: string[],
): string {
  const remotePhases = new Map(
    (remote?.phases ?? []).map((p) => [String((p as { phase_id?: unknown }).phase_id), p as Record<string, unknown>]),
  );
  const rows = state.plan.phases.map((phase) => {
    const rec = state.phases[phase.phase_id]!;
    const r = remotePhases.get(phase.phase_id);
    const tokens = typeof r?.["tokens_used"] === "number" ? (r["tokens_used"] as number) : rec.tokens;
    const pr = rec.pr ? `[#${rec.pr}](${repoUrl}/pull/${rec.pr})` : "–";
    const work = `${count(rec.builder_attempts, "build")}, ${count(rec.auditor_attempts, "audit")}`;
    const shown = rec.step === "skipped" ? "skipped (its pull request left as it is)" : phaseStateOf(rec.step).toLowerCase();
    return `| ${phase.phase_id} | ${forTableCell(phase.name)} | ${shown} | ${work} | ${rec.verdict ?? "–"} | ${pr} | ${formatTokens(tokens)} |`;
  });
  const cost = estimateCost(state.tokens, models, config);
  const skipped = state.plan.phases.filter((p) => state.phases[p.phase_id]?.step === "skipped").map((p) => p.phase_id);
  const outcome =
    state.state === "DONE_SUCCESS"
      ? skipped.length > 0
        ? `✅ finished: every phase is merged but ${skipped.join(", ")}, skipped.`
        : "✅ finished: every phase is merged."
      : `ended: ${runHeadline(state)}. ${forPlainLine(state.reason ?? "")}`;
  return [
    summaryMarker(state.run_id),
    `### Autopack run \`${state.run_id}\` ${outcome}`,
    "",
    "| Phase | Name | State | Attempts | Verdict | PR | Tokens |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `**Tokens** ${formatTokens(state.tokens)} of ${formatTokens(state.plan.run.token_cap)}${cost !== null ? ` · **Estimated cost** $${cost.toFixed(2)}` : ""}${
      remote ? ` · **Issues found** ${remote.issues.major_count} major, ${remote.issues.minor_count} minor` : ""
    }`,
    ...(skipped.length > 0
      ? [
          "",
          `Skipped phases were not sent to the orchestrator, which has no call for a skip: its record shows ${skipped.join(", ")} as they were when skipped.`,
        ]
      : []),
  ].join("\n");
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
