import { loadRepoConfig } from "../github/repo-config-file.js";
import type { RepoConfigResult } from "../config/repo-config.js";
import type { GitHubClient } from "../github/client.js";
import type { IssueComment, IssueRef } from "../github/issues.js";
import type { IssueKey } from "./jobs.js";
import { authenticatedApp } from "../github/check-runs.js";
import { commentFilter, type WorkerDeps } from "./deps.js";
import { loadRepo, loadRunHistory, type RepoInfo, type RunHistory } from "./run-store.js";
import { steerGate, type SteerGate } from "./steer-gate.js";

/** Everything a job observes about one issue before deciding. */
export interface RunContext {
  deps: WorkerDeps;
  gh: GitHubClient;
  /** The permission gate, asked at most once per person in the job. */
  steer: SteerGate;
  target: IssueKey;
  ref: IssueRef;
  repo: RepoInfo;
  comments: IssueComment[];
  history: RunHistory;
  config: RepoConfigResult;
  /** Whether a comment was written by this app. */
  isOurs: (c: IssueComment) => boolean;
}

const botLogins = new Map<number, Promise<string | null>>();

/** This app's bot user (`<slug>[bot]`), asked once per process. */
function botLogin(appId: number, gh: GitHubClient): Promise<string | null> {
  let login = botLogins.get(appId);
  if (login === undefined) {
    login = authenticatedApp(gh).then((app) => (app?.slug ? `${app.slug}[bot]` : null));
    botLogins.set(appId, login);
    // A failed look-up is asked again next time.
    void login.then((value) => value === null && botLogins.delete(appId));
  }
  return login;
}

/** A job's way to the issue's repository, opened once per job. */
export interface JobGitHub {
  gh: GitHubClient;
  steer: SteerGate;
}

export async function openRepo(deps: WorkerDeps, target: IssueKey): Promise<JobGitHub> {
  const gh = await deps.auth(target.installationId);
  return { gh, steer: steerGate(gh, target.owner, target.repo) };
}

export async function loadRunContext(deps: WorkerDeps, target: IssueKey, opened?: JobGitHub): Promise<RunContext> {
  const { gh, steer } = opened ?? (await openRepo(deps, target));
  const ref: IssueRef = { owner: target.owner, repo: target.repo, issue: target.issue };
  const repo = await loadRepo(gh, target.owner, target.repo);
  const isOurs = commentFilter(deps.appId, await botLogin(deps.appId, gh));
  const [{ comments, history }, config] = await Promise.all([
    loadRunHistory(gh, ref, isOurs, deps.stateKey, repo.id),
    loadRepoConfig(gh, target.owner, target.repo),
  ]);
  return { deps, gh, steer, target, ref, repo, comments, history, config, isOurs };
}
