import type { Probot } from "probot";
import type { RepoConfigResult } from "../config/repo-config.js";
import { authenticatedApp, completeAuditCheckRun, ensureAuditCheckRun, overruleAuditCheckRuns } from "./check-runs.js";
import type { GitHubClient, RepoName } from "./client.js";
import { checksOn } from "./commit-checks.js";
import type {
  AppIdentity,
  AuditCheckResult,
  ChecksSummary,
  CollaboratorPermission,
  CommentReview,
  IssueComment,
  RepositoryInfo,
  EnsureCheckRunOptions,
  GitHubApp,
  InstallationGitHub,
  PhasePullInput,
  Reaction,
  RepoGitHub,
  TreeWrite,
} from "./door.js";
import {
  compareDiff,
  createCommit,
  createTree,
  findPath,
  getBlob,
  getBranchSha,
  getCommit,
  getRecursiveTree,
  setBranch,
} from "./git-data.js";
import {
  addLabels,
  createComment,
  ensureMarkedComment,
  getIssue,
  hasReaction,
  listComments,
  listLabelEvents,
  listOpenIssuesWithLabel,
  reactToComment,
  removeLabel,
  updateComment,
} from "./issues.js";
import { ConditionalCache } from "./conditional-requests.js";
import { Memo } from "./memo.js";
import { metered, type GitHubMeter } from "./meter.js";
import { listPullFiles, readFileAtRef } from "./pull-files.js";
import { findOpenPull, getPull, mergePull, upsertPhasePull } from "./pulls.js";
import { configVersion, loadRepoConfig } from "./repo-config-file.js";
import { getCollaboratorPermission, getRepository } from "./repository.js";
import { applyRequestPolicy, type RequestPolicy } from "./request-policy.js";
import { RetryAfterGate } from "./retry-after.js";
import {
  createCommentReview,
  findAppReviewWithMarker,
  listAppReviewComments,
  listAppReviews,
  listReviewComments,
  listReviews,
} from "./reviews.js";

/** An Octokit for the app (no argument: its JWT) or for one of its installations. */
export type OctokitAuth = (installationId?: number) => Promise<GitHubClient>;

export interface DoorOptions {
  /** Counts every call of a verb (see `CallCounts`). */
  meter?: GitHubMeter;
  /** Conditional requests (ETags) for repeated reads (default on). */
  conditional?: boolean;
  /** The clock by which installations' clients age (tests move it). */
  now?: () => number;
}

/** The door over Probot's Octokit: what the app is given instead of `app.auth`. */
export function probotGitHub(app: Probot, options: DoorOptions = {}): GitHubApp {
  return octokitGitHub((installationId) => app.auth(installationId), options);
}

/** The door over Octokit clients that `auth` hands out. */
export function octokitGitHub(auth: OctokitAuth, options: DoorOptions = {}): GitHubApp {
  const meter = options.meter;
  const count = <T extends object>(target: T): T => (meter ? metered(target, meter) : target);
  const policy: RequestPolicy = {
    cache: options.conditional === false ? null : new ConditionalCache(),
    gate: new RetryAfterGate(),
  };
  const watched = meter?.rateLimit ? watchRateLimit(auth, meter.rateLimit.bind(meter)) : auth;
  return count(new OctokitApp(watched, count, policy, options.now ?? Date.now));
}

/** Each client `auth` hands out tells `report` what GitHub says is left of the rate limit after each response. */
function watchRateLimit(auth: OctokitAuth, report: NonNullable<GitHubMeter["rateLimit"]>): OctokitAuth {
  return async (installationId) => {
    const gh = await auth(installationId);
    gh.hook.after("request", (response) => {
      const remaining = Number(response.headers["x-ratelimit-remaining"]);
      if (Number.isFinite(remaining)) report(remaining, String(response.headers["x-ratelimit-resource"] ?? "core"));
    });
    return gh;
  };
}

type Count = <T extends object>(target: T) => T;

/** How long a repository's id, default branch and URL are taken as known. */
const REPO_INFO_MS = 5 * 60_000;
/**
 * How long a configuration is used while the default branch's file stays as it was (the organisation's
 * `.github` repository, the fallback, is read again after this).
 */
const CONFIG_MS = 10 * 60_000;

/**
 * How long an installation's client serves its jobs before another is made: less than the hour an
 * installation token lives, so no client outlives the token it was first given.
 */
export const CLIENT_MS = 50 * 60_000;

/** What one process remembers across jobs, per installation and repository (bounded). */
export interface Remembered {
  repoInfo: Memo<RepositoryInfo>;
  /** The configuration as read when the default branch held the file's `version` (see `configVersion`). */
  config: Memo<{ version: string; result: RepoConfigResult }>;
  /** Whether a branch has checks (`<scope>#<branch>`): the repository's CI, which rarely comes or goes. */
  branchChecks: Memo<boolean>;
}

class OctokitApp implements GitHubApp {
  /** Who the app is, once GitHub said it (it does not change while the process runs). */
  identity: AppIdentity | null = null;
  readonly remembered: Remembered = {
    repoInfo: new Memo(1_000, REPO_INFO_MS),
    config: new Memo(1_000, CONFIG_MS),
    branchChecks: new Memo(1_000, REPO_INFO_MS),
  };
  /** Each installation's client, shared by its jobs (see `client`). */
  private readonly clients: Memo<Promise<GitHubClient>>;

  constructor(
    private readonly auth: OctokitAuth,
    private readonly count: Count,
    private readonly policy: RequestPolicy,
    now: () => number,
  ) {
    this.clients = new Memo(1_000, CLIENT_MS, now);
  }

  async installations(): Promise<{ id: number }[]> {
    const gh = await this.auth();
    const all = await gh.paginate(gh.rest.apps.listInstallations, { per_page: 100 });
    return all.map((installation) => ({ id: installation.id }));
  }

  async installation(installationId: number): Promise<InstallationGitHub> {
    const gh = await this.client(installationId);
    return this.count(new OctokitInstallation(this, gh, this.count, installationId));
  }

  /**
   * The installation's client, made once and shared by its jobs for `CLIENT_MS`: an Octokit with its
   * plugins and limiters is costly to build and a phase runs several jobs, and the hooks it is given here
   * are given once. Its token is not kept in it: its auth asks Probot's token cache at each request, which
   * fetches a new token before the old one expires; the client is made anew after `CLIENT_MS` all the same.
   */
  private client(installationId: number): Promise<GitHubClient> {
    const key = String(installationId);
    const known = this.clients.get(key);
    if (known) return known;
    const made = this.auth(installationId).then((gh) => applyRequestPolicy(gh, installationId, this.policy));
    this.clients.set(key, made);
    // A failed authentication is not remembered: the next job asks again.
    made.catch(() => {
      if (this.clients.get(key) === made) this.clients.delete(key);
    });
    return made;
  }
}

class OctokitInstallation implements InstallationGitHub {
  constructor(
    private readonly app: OctokitApp,
    private readonly gh: GitHubClient,
    private readonly count: Count,
    private readonly installationId: number,
  ) {}

  async repositories(): Promise<{ owner: string; name: string }[]> {
    const all = await this.gh.paginate(this.gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    return all.map((repo) => ({ owner: repo.owner.login, name: repo.name }));
  }

  repo(owner: string, name: string): RepoGitHub {
    const scope = `${this.installationId}/${owner}/${name}`.toLowerCase();
    return this.count(new OctokitRepo(this.gh, { owner, repo: name }, () => this.appIdentity(), this.app.remembered, scope));
  }

  async appIdentity(): Promise<AppIdentity | null> {
    if (this.app.identity !== null) return this.app.identity;
    // Asked once per client; a failed look-up is asked again by the next job's client.
    const found = await authenticatedApp(this.gh);
    if (found !== null) this.app.identity = found;
    return found;
  }
}

/**
 * One repository's verbs, bound to an installation's Octokit. A job opens it once: what it reads of
 * branches is kept for the job (its own writes update it), the repository's facts and configuration
 * for the process (see `Remembered`).
 */
class OctokitRepo implements RepoGitHub {
  readonly owner: string;
  readonly name: string;
  /** Branch heads read or written in this job. */
  readonly #branches = new Map<string, string | null>();
  /** Branches this job created. */
  readonly #created = new Set<string>();

  constructor(
    private readonly gh: GitHubClient,
    private readonly ref: RepoName,
    private readonly identity: () => Promise<AppIdentity | null>,
    private readonly remembered: Remembered,
    private readonly scope: string,
  ) {
    this.owner = ref.owner;
    this.name = ref.repo;
  }

  private issueRef(issue: number) {
    return { owner: this.ref.owner, repo: this.ref.repo, issue };
  }

  async info(): Promise<RepositoryInfo> {
    const known = this.remembered.repoInfo.get(this.scope);
    if (known) return known;
    const info = await getRepository(this.gh, this.ref);
    this.remembered.repoInfo.set(this.scope, info);
    return info;
  }
  /** Read again only when a commit on the default branch changed the file (asking costs nothing when none did: a 304). */
  async config(): Promise<RepoConfigResult> {
    const version = await configVersion(this.gh, this.ref.owner, this.ref.repo, (await this.info()).defaultBranch);
    const known = this.remembered.config.get(this.scope);
    if (known && version !== null && known.version === version) return known.result;
    const result = await loadRepoConfig(this.gh, this.ref.owner, this.ref.repo);
    if (version !== null) this.remembered.config.set(this.scope, { version, result });
    return result;
  }
  collaboratorPermission(login: string): Promise<CollaboratorPermission | null> {
    return getCollaboratorPermission(this.gh, this.ref, login);
  }

  issue(issueNumber: number) {
    return getIssue(this.gh, this.issueRef(issueNumber));
  }
  openIssuesWithLabel(label: string) {
    return listOpenIssuesWithLabel(this.gh, this.ref, label);
  }
  comments(issueNumber: number) {
    return listComments(this.gh, this.issueRef(issueNumber));
  }
  labelEvents(issueNumber: number) {
    return listLabelEvents(this.gh, this.issueRef(issueNumber));
  }
  createComment(issueNumber: number, body: string) {
    return createComment(this.gh, this.issueRef(issueNumber), body);
  }
  updateComment(commentId: number, body: string) {
    return updateComment(this.gh, this.ref, commentId, body);
  }
  ensureComment(issueNumber: number, marker: string, body: string, isOurs: (c: IssueComment) => boolean, comments?: IssueComment[]) {
    return ensureMarkedComment(this.gh, this.issueRef(issueNumber), marker, body, isOurs, comments);
  }
  addLabels(issueNumber: number, labels: string[]) {
    return addLabels(this.gh, this.issueRef(issueNumber), labels);
  }
  removeLabel(issueNumber: number, name: string) {
    return removeLabel(this.gh, this.issueRef(issueNumber), name);
  }
  react(commentId: number, reaction: Reaction) {
    return reactToComment(this.gh, this.ref.owner, this.ref.repo, commentId, reaction);
  }
  async appReacted(commentId: number, reaction: Reaction) {
    const app = await this.identity();
    return app !== null && app.slug !== "" && hasReaction(this.gh, this.ref, commentId, reaction, `${app.slug}[bot]`);
  }

  pull(pullNumber: number) {
    return getPull(this.gh, this.ref, pullNumber);
  }
  findOpenPull(branch: string) {
    return findOpenPull(this.gh, this.ref, branch);
  }
  upsertPhasePull(input: PhasePullInput) {
    return upsertPhasePull(this.gh, this.ref, input, { branchIsNew: this.#created.has(input.branch) });
  }
  mergePull(pullNumber: number, sha: string) {
    // A merge moves the base branch (and may delete the head): heads read before it are read again.
    this.#branches.clear();
    return mergePull(this.gh, this.ref, pullNumber, sha);
  }
  pullFiles(pullNumber: number) {
    return listPullFiles(this.gh, this.ref, pullNumber);
  }
  reviews(pullNumber: number) {
    return listReviews(this.gh, this.ref, pullNumber);
  }
  reviewComments(pullNumber: number, reviewId?: number) {
    return listReviewComments(this.gh, this.ref, pullNumber, reviewId);
  }

  createCommentReview(pullNumber: number, review: CommentReview) {
    return createCommentReview(this.gh, this.ref, pullNumber, review);
  }
  async appReviews(pullNumber: number) {
    return listAppReviews(this.gh, this.ref, pullNumber, await this.identity());
  }
  async appReviewComments(pullNumber: number) {
    return listAppReviewComments(this.gh, this.ref, pullNumber, await this.identity());
  }
  async findAppReview(pullNumber: number, marker: string) {
    return findAppReviewWithMarker(this.gh, this.ref, pullNumber, marker, await this.identity());
  }

  async branchSha(branch: string, options: { fresh?: boolean } = {}) {
    if (!options.fresh && this.#branches.has(branch)) return this.#branches.get(branch)!;
    const sha = await getBranchSha(this.gh, this.ref, branch);
    this.#branches.set(branch, sha);
    return sha;
  }
  commit(sha: string) {
    return getCommit(this.gh, this.ref, sha);
  }
  tree(treeish: string) {
    return getRecursiveTree(this.gh, this.ref, treeish);
  }
  blob(sha: string) {
    return getBlob(this.gh, this.ref, sha);
  }
  findPath(commitSha: string, path: string) {
    return findPath(this.gh, this.ref, commitSha, path);
  }
  readFile(path: string, ref: string, maxBytes?: number) {
    return readFileAtRef(this.gh, this.ref, path, ref, maxBytes);
  }
  createTree(baseTreeSha: string, writes: readonly TreeWrite[]) {
    return createTree(this.gh, this.ref, baseTreeSha, writes);
  }
  createCommit(commit: { message: string; treeSha: string; parents: string[] }) {
    return createCommit(this.gh, this.ref, commit);
  }
  async setBranch(branch: string, sha: string, options: { exists: boolean; force: boolean; expected?: string | null }) {
    this.#branches.delete(branch);
    const update = await setBranch(this.gh, this.ref, branch, sha, options);
    if (update !== "not-fast-forward") this.#branches.set(branch, sha);
    if (update === "created") this.#created.add(branch);
    return update;
  }
  diff(base: string, head: string) {
    return compareDiff(this.gh, this.ref, base, head);
  }

  async checks(ref: string, options: { awaiting?: boolean } = {}): Promise<ChecksSummary> {
    return checksOn(this.gh, this.ref.owner, this.ref.repo, ref, {
      awaiting: options.awaiting ?? false,
      app: options.awaiting ? await this.identity() : null,
    });
  }
  async branchHasChecks(branch: string): Promise<boolean> {
    const key = `${this.scope}#${branch}`;
    const known = this.remembered.branchChecks.get(key);
    if (known !== undefined) return known;
    const has = (await this.checks(branch)).state !== "none";
    this.remembered.branchChecks.set(key, has);
    return has;
  }
  async ensureAuditCheckRun(headSha: string, options?: EnsureCheckRunOptions) {
    return ensureAuditCheckRun(this.gh, this.ref, headSha, await this.identity(), options);
  }
  completeAuditCheckRun(checkRunId: number, result: AuditCheckResult) {
    return completeAuditCheckRun(this.gh, this.ref, checkRunId, result.conclusion, result.title, result.summary, result.text);
  }
  async overruleAuditChecks(headSha: string, result: AuditCheckResult) {
    return overruleAuditCheckRuns(this.gh, this.ref, headSha, await this.identity(), result);
  }
}
