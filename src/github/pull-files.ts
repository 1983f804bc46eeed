import type { GitHubClient, RepoName } from "./client.js";
import type { PullFile } from "./door.js";
import { httpStatus } from "./errors.js";

/** Every file of a PR with its patch, following pagination (GitHub lists at most 3,000). */
export async function listPullFiles(gh: GitHubClient, repo: RepoName, pullNumber: number): Promise<PullFile[]> {
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

/**
 * The text of a file at a commit, or null when it is not a readable text file of at most `maxBytes`
 * (missing, a directory, a submodule, binary, or larger than the contents API returns inline).
 */
export async function readFileAtRef(
  gh: GitHubClient,
  repo: RepoName,
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
