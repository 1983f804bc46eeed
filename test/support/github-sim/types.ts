import type { GitStore, Signature } from "./git-objects.js";

export type Role = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface SimUser {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

/** A GitHub App as check runs and comments name it. */
export interface AppRef {
  id: number;
  slug: string;
  name: string;
  owner: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullRecord {
  id: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Frozen when the pull request closes; followed from the base branch while open. */
  baseSha?: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** A test's override; undefined lets the simulator work it out from the trees. */
  mergeable?: boolean | null;
  maintainerCanModify: boolean;
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  stateReason: string | null;
  /** Label names, spelled as the repository's labels spell them. */
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  pull?: PullRecord;
}

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  user: string;
  viaApp: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A labelled or unlabelled event of an issue, as `GET /issues/{n}/events` lists it (GitHub never deletes these). */
export interface IssueEventRecord {
  id: number;
  issue: number;
  event: "labeled" | "unlabeled";
  actor: string;
  viaApp: boolean;
  label: { name: string; color: string };
  createdAt: string;
}

export interface ReactionRecord {
  id: number;
  commentId: number;
  content: string;
  user: string;
  createdAt: string;
}

export interface ReviewRecord {
  id: number;
  pull: number;
  user: string;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  reviewId: number;
  pull: number;
  user: string;
  body: string;
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
  startLine: number | null;
  startSide: "LEFT" | "RIGHT" | null;
  position: number;
  diffHunk: string;
  commitId: string;
  createdAt: string;
  updatedAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  suiteId: number;
  headSha: string;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
  actions: { label: string; description: string; identifier: string }[];
  app: AppRef;
}

export interface CheckSuiteRecord {
  id: number;
  headSha: string;
  headBranch: string | null;
  app: AppRef;
  createdAt: string;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  git: GitStore;
  /** Full ref name ("refs/heads/main") -> commit sha. */
  refs: Map<string, string>;
  /** Lower-cased name -> label. */
  labels: Map<string, LabelRecord>;
  issues: Map<number, IssueRecord>;
  nextNumber: number;
  comments: Map<number, CommentRecord>;
  /** Issue events, oldest first (only label events are simulated). */
  issueEvents: IssueEventRecord[];
  reactions: ReactionRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  checkRuns: Map<number, CheckRunRecord>;
  checkSuites: CheckSuiteRecord[];
  statuses: StatusRecord[];
  /** Lower-cased login -> role (for a custom role, the role it is built on). */
  roles: Map<string, Role>;
  /** Lower-cased login -> the name of a custom repository role, which GitHub answers as `role_name`. */
  customRoles: Map<string, string>;
  /**
   * Apps that get a check suite on every commit pushed to a branch, as GitHub makes one at the push
   * for each app with checks to run (GitHub Actions when the repository has workflows); their check
   * runs come later, when a test adds them.
   */
  suitesOnPush: AppRef[];
}

export type { Signature };
