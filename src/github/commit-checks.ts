import { AUDIT_CHECK_NAME } from "./check-runs.js";
import type { GitHubClient } from "./client.js";

export interface ChecksSummary {
  state: "none" | "pending" | "success" | "failure";
  /** What failed, for the Builder (check names, conclusions, titles, summaries). */
  summary: string;
}

const FAILING = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);

/**
 * The repository's own checks on a commit: check runs (the app's audit excluded) and commit statuses.
 * `none` means nothing reported on it at all.
 */
export async function checksOn(gh: GitHubClient, owner: string, repo: string, ref: string): Promise<ChecksSummary> {
  const runs = (await gh.paginate(gh.rest.checks.listForRef, { owner, repo, ref, per_page: 100 })).filter(
    (r) => r.name !== AUDIT_CHECK_NAME,
  );
  const { data: combined } = await gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref, per_page: 100 });
  const statuses = combined.statuses ?? [];
  if (runs.length === 0 && statuses.length === 0) return { state: "none", summary: "" };
  const failures: string[] = [];
  let pending = false;
  for (const run of runs) {
    if (run.status !== "completed") pending = true;
    else if (run.conclusion && FAILING.has(run.conclusion)) {
      const detail = [run.output?.title, run.output?.summary].filter(Boolean).join(": ");
      failures.push(`- check "${run.name}": ${run.conclusion}${detail ? ` — ${detail.slice(0, 1500)}` : ""}`);
    }
  }
  for (const status of statuses) {
    if (status.state === "pending") pending = true;
    else if (status.state === "failure" || status.state === "error") {
      failures.push(`- status "${status.context}": ${status.state}${status.description ? ` — ${status.description}` : ""}`);
    }
  }
  if (failures.length > 0) return { state: "failure", summary: failures.join("\n") };
  return { state: pending ? "pending" : "success", summary: "" };
}
