import { loadRepoConfig } from "../config/load-repo-config.js";
import type { RepoConfigResult } from "../config/repo-config.js";
import type { GitHubClient } from "../github/client.js";
import type { IssueComment, IssueRef } from "../github/issues.js";
import type { IssueKey } from "../queue/queue.js";
import { isOurComment, type WorkerDeps } from "./deps.js";
import { loadRepo, loadRunHistory, type RepoInfo, type RunHistory } from "./run-store.js";

/** Everything a job observes about one issue before deciding. */
export interface RunContext {
  deps: WorkerDeps;
  gh: GitHubClient;
  target: IssueKey;
  ref: IssueRef;
  repo: RepoInfo;
  comments: IssueComment[];
  history: RunHistory;
  config: RepoConfigResult;
}

export async function loadRunContext(deps: WorkerDeps, target: IssueKey): Promise<RunContext> {
  const gh = await deps.auth(target.installationId);
  const ref: IssueRef = { owner: target.owner, repo: target.repo, issue: target.issue };
  const repo = await loadRepo(gh, target.owner, target.repo);
  const [{ comments, history }, config] = await Promise.all([
    loadRunHistory(gh, ref, isOurComment(deps), deps.stateKey, repo.id),
    loadRepoConfig(gh, target.owner, target.repo),
  ]);
  return { deps, gh, target, ref, repo, comments, history, config };
}
