import type { GitHubClient, RepoName } from "./client.js";
import { AUDIT_CHECK_NAME, type AppIdentity, type AuditCheckRun, type AuditConclusion, type EnsureCheckRunOptions } from "./door.js";
import { httpStatus } from "./errors.js";

/** GitHub refuses check run output summaries and texts over 65,535 characters. */
export const MAX_OUTPUT_CHARS = 65_535;
const MAX_TITLE_CHARS = 255;

const identities = new WeakMap<GitHubClient, Promise<AppIdentity | null>>();

/**
 * The app this client acts for (`GET /app`, which the app authentication answers with its JWT),
 * cached per client; null when the client cannot tell (a plain token, or a server without the route).
 */
export function authenticatedApp(gh: GitHubClient): Promise<AppIdentity | null> {
  let found = identities.get(gh);
  if (found === undefined) {
    found = gh.rest.apps.getAuthenticated().then(
      ({ data }) => (data ? { id: data.id, slug: data.slug ?? "" } : null),
      (error: unknown) => {
        const status = httpStatus(error);
        if (status !== undefined && status >= 500) identities.delete(gh);
        return null;
      },
    );
    identities.set(gh, found);
  }
  return found;
}

/** Cuts text to GitHub's limit without splitting a surrogate pair, saying that it was cut. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = "\n\n… (truncated)";
  let end = Math.max(0, max - note.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + note;
}

/** The `Autopack audit` check runs on `headSha` made by the app (`app`, when known), every page of them. */
async function appAuditRuns(gh: GitHubClient, repo: RepoName, headSha: string, app: AppIdentity | null) {
  const runs = await gh.paginate(gh.rest.checks.listForRef, {
    owner: repo.owner,
    repo: repo.repo,
    ref: headSha,
    check_name: AUDIT_CHECK_NAME,
    filter: "all",
    per_page: 100,
    ...(app !== null ? { app_id: app.id } : {}),
  });
  return runs.filter((run) => run.name === AUDIT_CHECK_NAME && run.head_sha === headSha && (app === null || run.app?.id === app.id));
}

/**
 * The app's (`app`, when known) `Autopack audit` check run on `headSha` that is still running, or a
 * new one created `in_progress`: a retried job reuses its check run instead of adding a duplicate.
 * `fresh` when no check run of this audit (`externalId`) was on the commit before, in any state: an
 * audit makes its check run before anything else it posts, so nothing of it is on the PR yet.
 */
export async function ensureAuditCheckRun(
  gh: GitHubClient,
  repo: RepoName,
  headSha: string,
  app: AppIdentity | null,
  options: EnsureCheckRunOptions = {},
): Promise<AuditCheckRun> {
  const runs = await appAuditRuns(gh, repo, headSha, app);
  const fresh = options.externalId !== undefined && !runs.some((run) => run.external_id === options.externalId);
  const running = runs.find((run) => run.status === "in_progress" || run.status === "queued");
  if (running !== undefined) return { id: running.id, fresh };
  const { data } = await gh.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: AUDIT_CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    started_at: new Date().toISOString(),
    ...(options.externalId !== undefined ? { external_id: options.externalId } : {}),
    output: { title: "Auditing", summary: fit(options.summary ?? "The Autopack auditor is reviewing this commit.", MAX_OUTPUT_CHARS) },
  });
  return { id: data.id, fresh };
}

/** Completes the check run with a conclusion and its output (title, summary, text), cut to GitHub's limits. */
export async function completeAuditCheckRun(
  gh: GitHubClient,
  repo: RepoName,
  checkRunId: number,
  conclusion: AuditConclusion,
  title: string,
  summary: string,
  text?: string,
): Promise<void> {
  await gh.rest.checks.update({
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: fit(title.replace(/\s+/g, " ").trim(), MAX_TITLE_CHARS),
      summary: fit(summary, MAX_OUTPUT_CHARS),
      ...(text !== undefined && text !== "" ? { text: fit(text, MAX_OUTPUT_CHARS) } : {}),
    },
  });
}

/**
 * Turns the app's passing `Autopack audit` check runs on `headSha` into `conclusion` (a verdict the
 * Supervisor did not keep, on a commit whose checks failed): updated in place, so no run that says
 * `success` stays behind on the commit. Runs still in progress are left to finish; how many changed.
 */
export async function overruleAuditCheckRuns(
  gh: GitHubClient,
  repo: RepoName,
  headSha: string,
  app: AppIdentity | null,
  result: { conclusion: AuditConclusion; title: string; summary: string },
): Promise<number> {
  const passing = (await appAuditRuns(gh, repo, headSha, app)).filter((run) => run.status === "completed" && run.conclusion === "success");
  for (const run of passing) await completeAuditCheckRun(gh, repo, run.id, result.conclusion, result.title, result.summary);
  return passing.length;
}
