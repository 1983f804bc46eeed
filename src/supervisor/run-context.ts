import type { RepoConfigResult } from "../config/repo-config.js";
import type { InstallationGitHub, IssueComment, RepoGitHub } from "../github/door.js";
import type { IssueKey } from "./jobs.js";
import { commentFilter, type WorkerDeps } from "./deps.js";
import { checkLegacySeal, readRunHistory, type RepoInfo, type RunHistory } from "./run-store.js";
import { hasStateBlock } from "./state-codec.js";
import { steerGate, type SteerGate } from "./steer-gate.js";

/** The issue a run lives on. */
export type IssueRef = Pick<IssueKey, "owner" | "repo" | "issue">;

/** Everything a job observes about one issue before deciding. */
export interface RunContext {
  deps: WorkerDeps;
  github: RepoGitHub;
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

/** A job's way to the issue's repository, opened once per job. */
export interface JobGitHub {
  installation: InstallationGitHub;
  github: RepoGitHub;
  steer: SteerGate;
}

export async function openRepo(deps: WorkerDeps, target: IssueKey): Promise<JobGitHub> {
  const installation = await deps.github.installation(target.installationId);
  const github = installation.repo(target.owner, target.repo);
  return { installation, github, steer: steerGate(github) };
}

export async function loadRunContext(deps: WorkerDeps, target: IssueKey, opened?: JobGitHub): Promise<RunContext> {
  const { installation, github, steer } = opened ?? (await openRepo(deps, target));
  const ref: IssueRef = { owner: target.owner, repo: target.repo, issue: target.issue };
  const repo = await github.info();
  const isOurs = await ourComments(deps, { installation });
  const history = async (comments: IssueComment[]) => {
    await deps.written?.recall(comments.filter((c) => isOurs(c) && hasStateBlock(c.body)).map((c) => c.id));
    return checkLegacySeal(github, readRunHistory(comments, isOurs, deps.stateKey, repo.id, target.issue, deps.written));
  };
  const [first, config] = await Promise.all([github.comments(target.issue), github.config()]);
  let comments = first;
  let read = await history(comments);
  // A read that crossed Autopack's own write of the status comment (another job, here or in another
  // process, rewrote it meanwhile) shows the block before that write: read the comments once more.
  if (read.stale?.behind) {
    comments = await github.comments(target.issue);
    read = await history(comments);
  }
  deps.log.bind?.({ runId: read.latest?.state.run_id ?? null });
  return { deps, github, steer, target, ref, repo, comments, history: read, config, isOurs };
}

/** Whether a comment was written by this app: its id, or its bot user (`<slug>[bot]`, asked once) where GitHub leaves the id out. */
export async function ourComments(deps: WorkerDeps, opened: Pick<JobGitHub, "installation">): Promise<(c: IssueComment) => boolean> {
  const app = await opened.installation.appIdentity();
  return commentFilter(deps.appId, app?.slug ? `${app.slug}[bot]` : null);
}
