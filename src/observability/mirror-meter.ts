import type { AutopackApi } from "../autopack-api/client.js";
import type { GitHubMeter } from "../github/meter.js";
import type { AppMetrics } from "./metrics.js";

/** The orchestrator client, counting each call by operation and outcome (mirroring off counts nothing). */
export function meteredApi(api: AutopackApi, metrics: AppMetrics): AutopackApi {
  if (!api.enabled) return api;
  return {
    enabled: true,
    async send(call) {
      const result = await api.send(call);
      metrics.mirrorCall(call.op, result.ok ? "sent" : result.retryable ? "retrying" : "refused");
      return result;
    },
    runSummary: (runId) => api.runSummary(runId),
    health: () => api.health(),
  };
}

/** One meter telling two (the app's metrics, and a test's counts). */
export function bothMeters(first: GitHubMeter, second: GitHubMeter | undefined): GitHubMeter {
  if (!second) return first;
  return {
    count(verb) {
      first.count(verb);
      second.count(verb);
    },
    rateLimit(remaining, resource) {
      first.rateLimit?.(remaining, resource);
      second.rateLimit?.(remaining, resource);
    },
  };
}
