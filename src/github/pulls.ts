import type { GitHubClient, RepoName } from "./client.js";
import type { MergeResult, OpenPull, PhasePull, PhasePullInput, PullRequest } from "./door.js";
import { errorMessage, httpStatus } from "./errors.js";

/** The pull request of a phase branch: found, created or updated, never duplicated. */

/** The open PR whose head is `owner:branch`, or null. */
export async function findOpenPull(gh: GitHubClient, repo: RepoName, branch: string): Promise<OpenPull | null> {
  const { data } = await gh.rest.pulls.list({
    owner: repo.owner,
    repo: repo.repo,
    state: "open",
    head: `${repo.owner}:${branch}`,
    per_page: 10,
  });
  // Filter again: a server that ignores `head` must not make us edit someone else's PR.
  const pull = data.find((p) => p.head.ref === branch);
  return pull ? { number: pull.number, url: pull.html_url, title: pull.title, body: pull.body ?? "" } : null;
}

/**
 * Finds the phase PR and updates its title and body, or creates it (without looking first on a branch
 * `branchIsNew`, created by this job). A 422 "A pull request already
 * exists" (a concurrent creation) is not an error: the PR is looked up again and updated.
 */
export async function upsertPhasePull(
  gh: GitHubClient,
  repo: RepoName,
  input: PhasePullInput,
  options: { branchIsNew?: boolean } = {},
): Promise<PhasePull> {
  // A branch created a moment ago has no open PR yet (GitHub closes a PR whose head branch is
  // deleted): the look-up is left to the unlikely 422 below.
  const existing = options.branchIsNew ? null : await findOpenPull(gh, repo, input.branch);
  if (existing) return updatePull(gh, repo, existing, input);
  try {
    const { data } = await gh.rest.pulls.create({
      owner: repo.owner,
      repo: repo.repo,
      head: input.branch,
      base: input.base,
      title: input.title,
      body: input.body,
      draft: input.draft,
    });
    return { number: data.number, url: data.html_url, action: "created" };
  } catch (error) {
    if (!(httpStatus(error) === 422 && /already exists/i.test(errorMessage(error)))) throw error;
    const found = await findOpenPull(gh, repo, input.branch);
    if (!found) throw error;
    return updatePull(gh, repo, found, input);
  }
}

async function updatePull(gh: GitHubClient, repo: RepoName, pull: OpenPull, input: PhasePullInput): Promise<PhasePull> {
  if (pull.title !== input.title || pull.body !== input.body) {
    await gh.rest.pulls.update({ owner: repo.owner, repo: repo.repo, pull_number: pull.number, title: input.title, body: input.body });
  }
  return { number: pull.number, url: pull.url, action: "updated" };
}

/** The PR as it is now: state, head, title and body. */
export async function getPull(gh: GitHubClient, repo: RepoName, pullNumber: number): Promise<PullRequest> {
  const { data } = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: pullNumber });
  return {
    number: data.number,
    state: data.state === "closed" ? "closed" : "open",
    merged: Boolean(data.merged),
    headSha: data.head.sha,
    headRef: data.head.ref,
    fromFork: data.head.repo?.full_name !== data.base.repo.full_name,
    baseSha: data.base.sha,
    changedFiles: data.changed_files,
    title: data.title,
    body: data.body ?? "",
  };
}

/**
 * Squash-merges the PR at `sha`. A refusal (branch protection, a required review, a conflict: any
 * 4xx) is answered with GitHub's status and message; errors of GitHub itself are thrown.
 */
export async function mergePull(gh: GitHubClient, repo: RepoName, pullNumber: number, sha: string): Promise<MergeResult> {
  try {
    await gh.rest.pulls.merge({ owner: repo.owner, repo: repo.repo, pull_number: pullNumber, sha, merge_method: "squash" });
    return { merged: true };
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined || status >= 500) throw error;
    return { merged: false, status, message: errorMessage(error) };
  }
}
