import { redactSecrets } from "../policy/untrusted.js";
import type { GitHubClient } from "./client.js";
import { AUDIT_CHECK_NAME, type AppIdentity, type ChecksSummary, type Probe } from "./door.js";

export type { ChecksSummary, Probe };

const FAILING = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);
const MAX_ANNOTATED_RUNS = 5;
const MAX_ANNOTATIONS = 20;
/** What the Builder is told of failing checks at most: their number, and characters in all. */
const MAX_FAILURES_LISTED = 20;
export const MAX_FAILURE_SUMMARY = 12_000;

/** The failing checks, as many as fit, saying how many more failed. */
function failureSummary(failures: string[]): string {
  const listed: string[] = [];
  let size = 0;
  for (const failure of failures.slice(0, MAX_FAILURES_LISTED)) {
    const line = failure.length > 4_000 ? `${failure.slice(0, 3_999)}…` : failure;
    if (size + line.length > MAX_FAILURE_SUMMARY - 100) break;
    listed.push(line);
    size += line.length + 1;
  }
  const more = failures.length - listed.length;
  return more > 0 ? [...listed, `- … and ${more} more failing check${more === 1 ? "" : "s"}`].join("\n") : listed.join("\n");
}

function seconds(from: string | null | undefined, to: string | null | undefined): number {
  if (!from || !to) return 0;
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

export interface ChecksOptions {
  /** Also look for other apps' check suites that have not reported yet (see `ChecksSummary.awaiting`). */
  awaiting?: boolean;
  /** This app, whose own check suite (GitHub makes one on every push) is not CI. */
  app?: AppIdentity | null;
}

/**
 * The repository's own checks on a commit: check runs (the app's audit excluded) and commit statuses.
 * `none` means nothing reported on it at all; with `awaiting`, a commit whose checks neither failed
 * nor run also names the apps whose check suite exists but has not reported (GitHub creates a suite
 * for each app with workflows at the push; its runs come seconds later).
 */
export async function checksOn(
  gh: GitHubClient,
  owner: string,
  repo: string,
  ref: string,
  options: ChecksOptions = {},
): Promise<ChecksSummary> {
  const runs = (await gh.paginate(gh.rest.checks.listForRef, { owner, repo, ref, per_page: 100 })).filter(
    (r) => r.name !== AUDIT_CHECK_NAME,
  );
  const { data: combined } = await gh.rest.repos.getCombinedStatusForRef({ owner, repo, ref, per_page: 100 });
  const statuses = combined.statuses ?? [];
  const awaiting = async (): Promise<string[]> => {
    if (!options.awaiting) return [];
    const suites = await gh.paginate(gh.rest.checks.listSuitesForRef, { owner, repo, ref, per_page: 100 });
    const reported = new Set(runs.map((r) => r.check_suite?.id));
    const names = suites
      .filter((x) => x.status !== "completed" && !reported.has(x.id) && x.app?.id !== options.app?.id && x.app?.id !== undefined)
      .map((x) => x.app?.slug ?? x.app?.name ?? `app ${x.app?.id}`);
    return [...new Set(names)];
  };
  if (runs.length === 0 && statuses.length === 0) return { state: "none", summary: "", probes: [], awaiting: await awaiting() };
  const failures: string[] = [];
  const probes: Probe[] = [];
  let pending = false;
  let annotated = 0;
  for (const run of runs) {
    if (run.status !== "completed") {
      pending = true;
      continue;
    }
    const detail = [run.output?.title, run.output?.summary].filter(Boolean).join(": ");
    const failed = run.conclusion !== null && FAILING.has(run.conclusion);
    let notes = "";
    if (failed && annotated < MAX_ANNOTATED_RUNS && (run.output?.annotations_count ?? 0) > 0) {
      annotated++;
      const { data } = await gh.rest.checks.listAnnotations({ owner, repo, check_run_id: run.id, per_page: MAX_ANNOTATIONS });
      notes = data.map((a) => `  - ${a.path}:${a.start_line}: ${a.annotation_level}: ${a.message ?? ""}`.slice(0, 500)).join("\n");
    }
    if (failed)
      failures.push(`- check "${run.name}": ${run.conclusion}${detail ? ` — ${detail.slice(0, 1500)}` : ""}${notes ? `\n${notes}` : ""}`);
    probes.push({
      probe_type: `check_run:${run.name}`,
      exit_code: failed ? 1 : 0,
      stdout: redactSecrets(run.output?.summary ?? "").slice(0, 4000),
      stderr: redactSecrets(notes).slice(0, 4000),
      duration_seconds: seconds(run.started_at, run.completed_at),
    });
  }
  for (const status of statuses) {
    if (status.state === "pending") {
      pending = true;
      continue;
    }
    const failed = status.state === "failure" || status.state === "error";
    if (failed) failures.push(`- status "${status.context}": ${status.state}${status.description ? ` — ${status.description}` : ""}`);
    probes.push({
      probe_type: `status:${status.context}`,
      exit_code: failed ? 1 : 0,
      stdout: redactSecrets(status.description ?? ""),
      stderr: "",
      duration_seconds: 0,
    });
  }
  if (failures.length > 0) return { state: "failure", summary: failureSummary(failures), probes, awaiting: [] };
  if (pending) return { state: "pending", summary: "", probes, awaiting: [] };
  return { state: "success", summary: "", probes, awaiting: await awaiting() };
}
