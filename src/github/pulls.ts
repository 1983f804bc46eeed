import type { GitHubClient, RepoRef } from "./client.js";
import { errorMessage, httpStatus } from "./client.js";

/** The pull request of a phase branch: found, created or updated, never duplicated. */

export interface OpenPull {
  number: number;
  url: string;
  title: string;
  body: string;
}

export interface PhasePullInput {
  branch: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

export interface PhasePull {
  number: number;
  url: string;
  action: "created" | "updated";
}

/** The open PR whose head is `owner:branch`, or null. */
export async function findOpenPull(gh: GitHubClient, repo: RepoRef, branch: string): Promise<OpenPull | null> {
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
 * Finds the phase PR and updates its title and body, or creates it. A 422 "A pull request already
 * exists" (a concurrent creation) is not an error: the PR is looked up again and updated.
 */
export async function upsertPhasePull(gh: GitHubClient, repo: RepoRef, input: PhasePullInput): Promise<PhasePull> {
  const existing = await findOpenPull(gh, repo, input.branch);
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

async function updatePull(gh: GitHubClient, repo: RepoRef, pull: OpenPull, input: PhasePullInput): Promise<PhasePull> {
  if (pull.title !== input.title || pull.body !== input.body) {
    await gh.rest.pulls.update({ owner: repo.owner, repo: repo.repo, pull_number: pull.number, title: input.title, body: input.body });
  }
  return { number: pull.number, url: pull.url, action: "updated" };
}
