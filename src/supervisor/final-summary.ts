import { safeMarkdown } from "../policy/safe-markdown.js";
import type { RunSummary } from "../autopack-api/schemas.js";
import type { RepoConfig } from "../config/repo-config.js";
import { phaseBudget } from "./playbook.js";
import type { RunState } from "./run-state.js";

export function summaryMarker(runId: string): string {
  return `<!-- autopack:summary run=${runId} -->`;
}

/** Estimated cost from the configured price table; null when no price is known for the models used. */
export function estimateCost(tokens: number, models: string[], config: RepoConfig): number | null {
  const prices = models.map((m) => config.prices[m]).filter((p) => p !== undefined);
  if (prices.length === 0) return null;
  // Tokens are not split by direction in the run state: use the mean of input and output prices.
  const perMillion = prices.reduce((sum, p) => sum + (p.input_per_million + p.output_per_million) / 2, 0) / prices.length;
  return (tokens / 1_000_000) * perMillion;
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
    const budget = phaseBudget(phase.task_category, config.budgets);
    const r = remotePhases.get(phase.phase_id);
    const tokens = typeof r?.["tokens_used"] === "number" ? (r["tokens_used"] as number) : rec.tokens;
    const pr = rec.pr ? `[#${rec.pr}](${repoUrl}/pull/${rec.pr})` : "–";
    return `| ${phase.phase_id} | ${safeMarkdown(phase.name)} | ${rec.state.toLowerCase()} | ${rec.builder_attempts}/${budget.builder_attempts} builds, ${rec.auditor_attempts} audits | ${rec.verdict ?? "–"} | ${pr} | ${tokens} |`;
  });
  const cost = estimateCost(state.tokens, models, config);
  const outcome =
    state.state === "DONE_SUCCESS"
      ? "✅ finished: every phase is merged."
      : `⛔ ended (${state.state}). ${safeMarkdown(state.reason ?? "")}`;
  return [
    summaryMarker(state.run_id),
    `### Autopack run \`${state.run_id}\` ${outcome}`,
    "",
    "| Phase | Name | State | Attempts | Verdict | PR | Tokens |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `**Tokens** ${state.tokens} of ${state.plan.run.token_cap}${cost !== null ? ` · **Estimated cost** $${cost.toFixed(2)}` : ""}${
      remote ? ` · **Orchestrator** ${remote.state}, ${remote.issues.major_count} major / ${remote.issues.minor_count} minor issues` : ""
    }`,
  ].join("\n");
}
