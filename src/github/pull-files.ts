import { httpStatus, type GitHubClient, type RepoRef } from "./client.js";

/** One file of a pull request, as `GET /pulls/{n}/files` describes it. */
export interface PullFile {
  /** Path at the head. */
  path: string;
  /** Path at the base for a renamed or copied file, else null. */
  previousPath: string | null;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  /** Unified-diff hunks without a file header; null for a binary file or a diff too large for GitHub to show. */
  patch: string | null;
}

/** Every file of a PR with its patch, following pagination (GitHub lists at most 3,000). */
export async function listPullFiles(gh: GitHubClient, repo: RepoRef, pullNumber: number): Promise<PullFile[]> {
  const items = await gh.paginate(gh.rest.pulls.listFiles, {
    owner: repo.owner,
    repo: repo.repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return items.map((f) => ({
    path: f.filename,
    previousPath: f.previous_filename ?? null,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    patch: typeof f.patch === "string" && f.patch.length > 0 ? f.patch : null,
  }));
}

export interface PullHead {
  headSha: string;
  title: string;
  body: string;
  state: string;
}

/** The PR as it is now: its head commit, title and body. */
export async function getPullHead(gh: GitHubClient, repo: RepoRef, pullNumber: number): Promise<PullHead> {
  const { data } = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: pullNumber });
  return { headSha: data.head.sha, title: data.title, body: data.body ?? "", state: data.state };
}

/**
 * The text of a file at a commit, or null when it is not a readable text file of at most `maxBytes`
 * (missing, a directory, a submodule, binary, or larger than the contents API returns inline).
 */
export async function readFileAtRef(
  gh: GitHubClient,
  repo: RepoRef,
  path: string,
  ref: string,
  maxBytes = 200_000,
): Promise<string | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ owner: repo.owner, repo: repo.repo, path, ref });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    if (data.size > maxBytes || data.encoding !== "base64") return null;
    const bytes = Buffer.from(data.content, "base64");
    if (bytes.includes(0)) return null;
    return bytes.toString("utf8");
  } catch (error) {
    if (httpStatus(error) === 404 || httpStatus(error) === 403) return null;
    throw error;
  }
}
