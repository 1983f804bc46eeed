import type { GitHubClient, RepoName } from "./client.js";
import type { GitCommitInfo, GitTree, GitTreeEntry, RefUpdate, TreeWrite } from "./door.js";
import { errorMessage, httpStatus } from "./errors.js";

/** Refs, commits, trees and blobs through the Git Database API, with as few requests as possible. */

const repoParams = (repo: RepoName) => ({ owner: repo.owner, repo: repo.repo });

/** The head commit of a branch, or null when the branch does not exist. */
export async function getBranchSha(gh: GitHubClient, repo: RepoName, branch: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.git.getRef({ ...repoParams(repo), ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

export async function getCommit(gh: GitHubClient, repo: RepoName, sha: string): Promise<GitCommitInfo> {
  const { data } = await gh.rest.git.getCommit({ ...repoParams(repo), commit_sha: sha });
  return {
    sha: data.sha,
    treeSha: data.tree.sha,
    message: data.message,
    parents: data.parents.map((p) => p.sha),
    author: data.author ? { name: data.author.name, email: data.author.email } : null,
  };
}

/** The whole tree in ONE request (of a tree, or of a commit: GitHub resolves it); `truncated` when GitHub cut it short. */
export async function getRecursiveTree(gh: GitHubClient, repo: RepoName, treeish: string): Promise<GitTree> {
  const { data } = await gh.rest.git.getTree({ ...repoParams(repo), tree_sha: treeish, recursive: "1" });
  const entries: GitTreeEntry[] = [];
  for (const item of data.tree) {
    if (!item.path || !item.sha || !item.mode) continue;
    const type = item.type === "tree" || item.type === "commit" ? item.type : "blob";
    entries.push({ path: item.path, mode: item.mode, type, sha: item.sha, size: typeof item.size === "number" ? item.size : null });
  }
  return { sha: data.sha, entries, truncated: data.truncated === true };
}

export async function getBlob(gh: GitHubClient, repo: RepoName, sha: string): Promise<Uint8Array> {
  const { data } = await gh.rest.git.getBlob({ ...repoParams(repo), file_sha: sha });
  return data.encoding === "base64" ? Buffer.from(data.content, "base64") : Buffer.from(data.content, "utf8");
}

/**
 * Looks one path up at a commit (for trees GitHub listed only in part). Null when there is no file
 * there; directories and submodules are reported by their type.
 */
export async function findPath(gh: GitHubClient, repo: RepoName, commitSha: string, path: string): Promise<GitTreeEntry | null> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...repoParams(repo), path, ref: commitSha });
    if (Array.isArray(data)) return { path, mode: "040000", type: "tree", sha: "", size: null };
    const type = data.type === "submodule" ? "commit" : "blob";
    const mode = data.type === "symlink" ? "120000" : "100644";
    return { path, mode, type, sha: data.sha, size: data.size };
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/** ONE `POST /git/trees` on top of `baseTreeSha`: inline contents, deletions as `sha: null`. */
export async function createTree(gh: GitHubClient, repo: RepoName, baseTreeSha: string, writes: readonly TreeWrite[]): Promise<string> {
  const tree = writes.map((w) =>
    w.content === null
      ? { path: w.path, mode: w.mode as "100644", type: "blob" as const, sha: null }
      : { path: w.path, mode: w.mode as "100644", type: "blob" as const, content: w.content },
  );
  const { data } = await gh.rest.git.createTree({ ...repoParams(repo), base_tree: baseTreeSha, tree });
  return data.sha;
}

export async function createCommit(
  gh: GitHubClient,
  repo: RepoName,
  commit: { message: string; treeSha: string; parents: string[] },
): Promise<string> {
  const { data } = await gh.rest.git.createCommit({
    ...repoParams(repo),
    message: commit.message,
    tree: commit.treeSha,
    parents: commit.parents,
  });
  return data.sha;
}

/**
 * Points `branch` at `sha`: creates the ref, or updates it when it exists ("Reference already
 * exists" is not an error). Without `force` only a fast-forward is made; a branch that moved
 * elsewhere is reported as `not-fast-forward`, never overwritten. With `force`, the branch is read
 * again first and moved only if it still points at `expected` (someone may have pushed meanwhile).
 */
export async function setBranch(
  gh: GitHubClient,
  repo: RepoName,
  branch: string,
  sha: string,
  options: { exists: boolean; force: boolean; expected?: string | null },
): Promise<RefUpdate> {
  if (options.force && options.expected && (await getBranchSha(gh, repo, branch)) !== options.expected) return "not-fast-forward";
  if (!options.exists) {
    try {
      await gh.rest.git.createRef({ ...repoParams(repo), ref: `refs/heads/${branch}`, sha });
      return "created";
    } catch (error) {
      if (!(httpStatus(error) === 422 && /already exists/i.test(errorMessage(error)))) throw error;
    }
  }
  try {
    await gh.rest.git.updateRef({ ...repoParams(repo), ref: `heads/${branch}`, sha, force: options.force });
    return "updated";
  } catch (error) {
    if (httpStatus(error) === 422 && /fast.?forward/i.test(errorMessage(error))) return "not-fast-forward";
    throw error;
  }
}

/** The unified diff between two commits (`base...head`). */
export async function compareDiff(gh: GitHubClient, repo: RepoName, base: string, head: string): Promise<string> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({
    ...repoParams(repo),
    basehead: `${base}...${head}`,
    mediaType: { format: "diff" },
  });
  return typeof data === "string" ? data : "";
}
