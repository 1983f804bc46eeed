import type { RepoConfig } from "../config/repo-config.js";
import { LlmOutputInvalidError, type LlmPort, type LlmRole, type TokenUsage } from "../llm/port.js";

/**
 * What the Supervisor tells whoever watches it (the app's `/metrics`): a port, so this layer names no
 * metrics library. Every method is cheap and never throws.
 */
export interface SupervisorMetrics {
  /** A build or audit attempt finished: its outcome (`success`/`failed`, or the audit's recommendation, or `stale`) and how long it took. */
  workFinished(work: { kind: "build" | "audit"; outcome: string; seconds: number }): void;
  /** Tokens one model request spent, and its cost when the repository gives the model's price. */
  llmUsage(use: { role: LlmRole; model: string; promptTokens: number; completionTokens: number; costUsd: number | null }): void;
  /** The mirror calls a run still owes the orchestrator, as this process last saw them. */
  mirrorPending(runId: string, calls: number): void;
}

/**
 * The model port, reporting the tokens of each request (answered, or answered with output that did
 * not match the schema: both are paid for) with its cost from the repository's `prices`.
 */
export function meteredLlm(
  llm: LlmPort,
  metrics: SupervisorMetrics | undefined,
  models: Record<LlmRole, string>,
  prices: RepoConfig["prices"],
): LlmPort {
  if (!metrics) return llm;
  const report = (role: LlmRole, model: string, usage: TokenUsage) => {
    const price = prices[model];
    const costUsd = price
      ? (usage.prompt_tokens * price.input_per_million + usage.completion_tokens * price.output_per_million) / 1_000_000
      : null;
    metrics.llmUsage({ role, model, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, costUsd });
  };
  return {
    async complete(request) {
      try {
        const response = await llm.complete(request);
        report(request.role, response.model, response.usage);
        return response;
      } catch (error) {
        if (error instanceof LlmOutputInvalidError) report(request.role, models[request.role], error.usage);
        throw error;
      }
    },
  };
}
