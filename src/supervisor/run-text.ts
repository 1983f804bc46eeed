import type { RepoConfig } from "../config/repo-config.js";
import type { RunState } from "./run-state.js";

/** Words and numbers about a run, shared by the status comment and the final summary. */

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/** The run's state in words (never the orchestrator's state names). */
export function runHeadline(state: RunState): string {
  if (state.cancelled_by !== null) return "⏹ Cancelled";
  switch (state.state) {
    case "RUN_CREATED":
      return "Run created";
    case "AWAITING_APPROVAL":
      return "⏸ Waiting for approval";
    case "PHASE_EXECUTION":
      return "Running";
    case "DONE_SUCCESS":
      return "✅ Done";
    case "DONE_FAILED_BUDGET_EXHAUSTED":
      return "⛔ Stopped: budget exhausted";
    case "DONE_FAILED_REQUIRES_HUMAN_REVIEW":
      return "🙋 Needs a person";
  }
}

/** Estimated cost from the configured price table; null when no price is known for the models used. */
export function estimateCost(tokens: number, models: string[], config: RepoConfig): number | null {
  const prices = models.map((m) => config.prices[m]).filter((p) => p !== undefined);
  if (prices.length === 0) return null;
  // Tokens are not split by direction in the run state: use the mean of input and output prices.
  const perMillion = prices.reduce((sum, p) => sum + (p.input_per_million + p.output_per_million) / 2, 0) / prices.length;
  return (tokens / 1_000_000) * perMillion;
}
