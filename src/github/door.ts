import type { RepoConfigResult } from "../config/repo-config.js";

/**
 * The door to GitHub: every request the app makes goes through these three interfaces, as verbs of
 * what the Supervisor, the Builder and the Auditor need. Writes are idempotent where GitHub lets them
 * be (`ensure…`, `upsert…`, `setBranch`), and every verb answers plain data. The Octokit adapter is
 * `octokit-door.ts`; nothing outside `src/github/` sees Octokit.
 */

/** The app itself, with its JWT: the installations it has. */
export interface GitHubApp {
  /** Every installation of the app. */
  installations(): Promise<{ id: number }[]>;
  /** One installation, authenticated as it. */
  installation(installationId: number): Promise<InstallationGitHub>;
}

/** One installation of the app: the repositories it reaches. */
export interface InstallationGitHub {
  /** Every repository the installation can reach. */
  repositories(): Promise<{ owner: string; name: string }[]>;
  repo(owner: string, name: string): RepoGitHub;
  /** Who the app is; asked once, and kept once known. Null when GitHub cannot tell. */
  appIdentity(): Promise<AppIdentity | null>;
}

/** One repository, as the installation sees it. */
export interface RepoGitHub {
  readonly owner: string;
  readonly name: string;

  // The repository
  info(): Promise<RepositoryInfo>;
  /** `.github/autopack.yml` of the default branch (with `_extends` and the organisation's `.github` repository), validated. */
  config(): Promise<RepoConfigResult>;
  /** A person's access; null when GitHub does not know them as a collaborator (404). */
  collaboratorPermission(login: string): Promise<CollaboratorPermission | null>;

  // Issues, comments, labels, reactions
  issue(issueNumber: number): Promise<IssueData>;
  /** Open issues (pull requests left out) that carry `label`. */
  openIssuesWithLabel(label: string): Promise<number[]>;
  /** Every comment of an issue or pull request, oldest first. */
  comments(issueNumber: number): Promise<IssueComment[]>;
  /** Who added or removed which label on an issue, oldest first: events GitHub never deletes. */
  labelEvents(issueNumber: number): Promise<LabelEvent[]>;
  createComment(issueNumber: number, body: string): Promise<number>;
  updateComment(commentId: number, body: string): Promise<void>;
  /**
   * The app's comment (`isOurs`) carrying `marker`, an HTML comment, created or brought up to date, so
   * that a retried job edits what it posted; `comments` saves listing them when the caller has them.
   */
  ensureComment(
    issueNumber: number,
    marker: string,
    body: string,
    isOurs: (c: IssueComment) => boolean,
    comments?: IssueComment[],
  ): Promise<number>;
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
  /** A label that is not there counts as removed. */
  removeLabel(issueNumber: number, name: string): Promise<void>;
  react(commentId: number, reaction: Reaction): Promise<void>;
  /** Whether the app itself has reacted so to the comment (only the app can take its reaction away). */
  appReacted(commentId: number, reaction: Reaction): Promise<boolean>;

  // Pull requests
  pull(pullNumber: number): Promise<PullRequest>;
  findOpenPull(branch: string): Promise<OpenPull | null>;
  /** The phase branch's PR, updated, or created once. */
  upsertPhasePull(input: PhasePullInput): Promise<PhasePull>;
  /** Squash-merges at `sha`; GitHub's refusal (a 4xx: branch protection, a conflict) is an answer, not an error. */
  mergePull(pullNumber: number, sha: string): Promise<MergeResult>;
  pullFiles(pullNumber: number): Promise<PullFile[]>;
  reviews(pullNumber: number): Promise<PullReview[]>;
  /** The PR's inline review comments, or one review's. */
  reviewComments(pullNumber: number, reviewId?: number): Promise<PullReviewComment[]>;

  // The app's reviews
  /** A `COMMENT` review pinned to a commit (GitHub refuses the others on the app's own PR); its id. */
  createCommentReview(pullNumber: number, review: CommentReview): Promise<number>;
  appReviews(pullNumber: number): Promise<AppReview[]>;
  appReviewComments(pullNumber: number): Promise<AppReviewComment[]>;
  /** The app's review whose body carries `marker`. */
  findAppReview(pullNumber: number, marker: string): Promise<AppReview | null>;

  // Git data
  /**
   * The head of a branch, or null when there is no such branch. Read once per job unless `fresh`: ask
   * afresh where something other than this job may have moved it since (a Cursor agent's push).
   */
  branchSha(branch: string, options?: { fresh?: boolean }): Promise<string | null>;
  commit(sha: string): Promise<GitCommitInfo>;
  /**
   * The whole tree in one request; `truncated` when GitHub cut it short. `treeish` is a tree's or a
   * commit's sha (GitHub resolves a commit to its tree, so a commit's tree costs no commit read);
   * `sha` is the tree's.
   */
  tree(treeish: string): Promise<GitTree>;
  blob(sha: string): Promise<Uint8Array>;
  /** One path at a commit (for trees GitHub listed only in part). */
  findPath(commitSha: string, path: string): Promise<GitTreeEntry | null>;
  /** A text file at a ref, or null when it is missing, binary, a directory or over `maxBytes`. */
  readFile(path: string, ref: string, maxBytes?: number): Promise<string | null>;
  createTree(baseTreeSha: string, writes: readonly TreeWrite[]): Promise<string>;
  createCommit(commit: { message: string; treeSha: string; parents: string[] }): Promise<string>;
  /** Moves or creates a branch: fast-forward only unless `force`, and a forced move only over `expected`. */
  setBranch(branch: string, sha: string, options: { exists: boolean; force: boolean; expected?: string | null }): Promise<RefUpdate>;
  /** The unified diff between two commits. */
  diff(base: string, head: string): Promise<string>;

  // Checks
  /**
   * The repository's own checks on a ref (the app's audit left out). With `awaiting`, a ref whose
   * checks have not failed and are not running also asks for its check suites, to tell "no CI" from
   * "CI that has not started yet" (one more request).
   */
  checks(ref: string, options?: { awaiting?: boolean }): Promise<ChecksSummary>;
  /**
   * Whether a branch's head has any checks or statuses at all: whether the repository runs CI on it.
   * A fact of the repository rather than of one commit, so it is remembered a few minutes.
   */
  branchHasChecks(branch: string): Promise<boolean>;
  /** The app's audit check run still running on the commit, or a new one (see `AuditCheckRun`). */
  ensureAuditCheckRun(headSha: string, options?: EnsureCheckRunOptions): Promise<AuditCheckRun>;
  completeAuditCheckRun(checkRunId: number, result: AuditCheckResult): Promise<void>;
  /** Turns every passing `Autopack audit` check run of the app on the commit into `result`; how many it changed. */
  overruleAuditChecks(headSha: string, result: AuditCheckResult): Promise<number>;
}

// What the verbs take and answer.

/** The name of the check run that carries the audit's verdict (part of the outward contract). */
export const AUDIT_CHECK_NAME = "Autopack audit";

/** The repository a run lives in. `id` is GitHub's numeric repository id (part of run ids). */
export interface RepoRef {
  owner: string;
  repo: string;
  id: number;
}

/** The app as GitHub knows it (`GET /app`). */
export interface AppIdentity {
  id: number;
  slug: string;
}

export interface RepositoryInfo {
  owner: string;
  repo: string;
  id: number;
  defaultBranch: string;
  htmlUrl: string;
}

/** A person's access to a repository as GitHub states it; the permission gate reads a role from it. */
export interface CollaboratorPermission {
  /** `admin`, `write`, `read` or `none` (the classic levels). */
  permission: string | null;
  /** The role, custom ones included (`maintain`, `triage`, …), when GitHub says it. */
  roleName: string | null;
}

export interface Author {
  login: string;
  type: string;
}

export interface IssueData {
  number: number;
  title: string;
  body: string;
  state: string;
  labels: string[];
  isPullRequest: boolean;
  author: string;
}

export interface IssueComment {
  id: number;
  body: string;
  userLogin: string;
  userType: string;
  appId: number | null;
  createdAt: string;
  /** When the comment's body last changed (equal to `createdAt` for a comment never edited). */
  updatedAt: string;
}

export interface LabelEvent {
  event: "labeled" | "unlabeled";
  label: string;
  /** Null when GitHub no longer knows the account. */
  actor: Author | null;
  createdAt: string;
}

export type Reaction = "eyes" | "rocket" | "confused" | "+1";

export interface PullRequest {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  headRef: string;
  /** The head branch lives in another repository (a fork), or its repository is gone. */
  fromFork: boolean;
  /** The base branch's commit GitHub compares the head with. */
  baseSha: string;
  /** How many files the PR changes (GitHub lists at most 3,000 of them). */
  changedFiles: number;
  title: string;
  body: string;
}

/** The open pull request of a branch. */
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

export type MergeResult = { merged: true } | { merged: false; status: number; message: string };

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

/** A review of a pull request, by anyone. */
export interface PullReview {
  id: number;
  body: string;
  commitId: string | null;
  author: Author | null;
}

/** An inline review comment, by anyone. */
export interface PullReviewComment {
  id: number;
  reviewId: number | null;
  path: string;
  line: number | null;
  body: string;
  author: Author | null;
}

export interface AppReview {
  id: number;
  body: string;
  commitId: string | null;
}

export interface AppReviewComment {
  id: number;
  reviewId: number | null;
  path: string;
  line: number | null;
  body: string;
}

/** An inline comment of a review, on the head side of a line the PR's diff shows. */
export interface ReviewComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

export interface CommentReview {
  /** The commit the review is pinned to. */
  commitId: string;
  body: string;
  comments: readonly ReviewComment[];
}

export interface GitTreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size: number | null;
}

/** A tree listed whole: its sha, and its entries down to the leaves. */
export interface GitTree {
  sha: string;
  entries: GitTreeEntry[];
  truncated: boolean;
}

export interface GitCommitInfo {
  sha: string;
  treeSha: string;
  message: string;
  parents: string[];
  author: { name: string; email: string } | null;
}

/** A file of a new tree: text content, or null to delete it. */
export interface TreeWrite {
  path: string;
  mode: string;
  content: string | null;
}

export type RefUpdate = "created" | "updated" | "not-fast-forward";

/** One finished check as the orchestrator's `probe_results` item. */
export interface Probe {
  probe_type: string;
  exit_code: number;
  stdout: string;
  stderr: string;
  duration_seconds: number;
}

export interface ChecksSummary {
  state: "none" | "pending" | "success" | "failure";
  /** What failed, for the Builder: check names, conclusions, titles, summaries and annotations. */
  summary: string;
  /** Every finished check run and commit status. */
  probes: Probe[];
  /**
   * Other apps whose check suite on the commit has not completed and has no check run yet: CI that
   * GitHub expects but that has not started (their runs appear seconds later). Only looked for when
   * asked and nothing has failed or is running; empty otherwise.
   */
  awaiting: string[];
}

export type AuditConclusion = "success" | "failure" | "neutral";

export interface AuditCheckRun {
  id: number;
  /**
   * No check run of this audit (its `externalId`) was on the commit before, in any state. An audit
   * makes its check run before anything else it posts, so nothing of this audit is on the PR yet.
   */
  fresh: boolean;
}

export interface EnsureCheckRunOptions {
  /** What the check run is for (run/phase/attempt); shown to integrators as `external_id`. */
  externalId?: string;
  /** Summary shown while the audit runs. */
  summary?: string;
}

/** The audit's result on its check run. */
export interface AuditCheckResult {
  conclusion: AuditConclusion;
  title: string;
  summary: string;
  text?: string;
}
