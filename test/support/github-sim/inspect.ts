import { pullDiff } from "./pull-logic.js";
import { checkRunShape, checkSuiteShape, combinedStatusShape, statusShape } from "./shapes-checks.js";
import { commitDetailShape, diffFileShape, gitCommitShape } from "./shapes-git.js";
import { pullShape, reviewCommentShape, reviewShape } from "./shapes-pulls.js";
import { commentShape, issueShape, labelShape, reactionShape, repoShape, userShape } from "./shapes.js";
import type { SimState } from "./state.js";
import type { RepoState } from "./types.js";

// Each view is what the matching GET endpoint answers.
export type RepositoryJson = ReturnType<typeof repoShape>;
export type UserJson = ReturnType<typeof userShape>;
export type IssueJson = ReturnType<typeof issueShape>;
export type CommentJson = ReturnType<typeof commentShape>;
export type ReactionJson = ReturnType<typeof reactionShape>;
export type PullJson = ReturnType<typeof pullShape>;
export type DiffFileJson = ReturnType<typeof diffFileShape>;
export type GitCommitJson = ReturnType<typeof gitCommitShape>;
export type RepoCommitJson = ReturnType<typeof commitDetailShape>;
export type LabelJson = ReturnType<typeof labelShape>;
export type ReviewJson = ReturnType<typeof reviewShape>;
export type ReviewCommentJson = ReturnType<typeof reviewCommentShape>;
export type CheckRunJson = ReturnType<typeof checkRunShape>;
export type CheckSuiteJson = ReturnType<typeof checkSuiteShape>;
export type StatusJson = ReturnType<typeof statusShape>;
export type CombinedStatusJson = ReturnType<typeof combinedStatusShape>;

/** Read-only views of the simulator's state, as plain JSON data. */
export interface SimInspection {
  repository(owner: string, repo: string): RepositoryJson;
  user(login: string): UserJson;
  issue(owner: string, repo: string, number: number): IssueJson;
  /** Every issue and pull request, open or not, oldest first. */
  issues(owner: string, repo: string): IssueJson[];
  comments(owner: string, repo: string, issue: number): CommentJson[];
  comment(owner: string, repo: string, commentId: number): CommentJson | undefined;
  /** Label names on an issue or pull request. */
  labels(owner: string, repo: string, issue: number): string[];
  reactions(owner: string, repo: string, commentId: number): ReactionJson[];
  /** Every pull request, open or not, oldest first. */
  pulls(owner: string, repo: string): PullJson[];
  pull(owner: string, repo: string, number: number): PullJson;
  pullFiles(owner: string, repo: string, number: number): DiffFileJson[];
  /** A repository label by name (any case). */
  label(owner: string, repo: string, name: string): LabelJson | undefined;
  branchHead(owner: string, repo: string, branch: string): string | undefined;
  /** Every branch and the commit it points at. */
  branches(owner: string, repo: string): Record<string, string>;
  fileAt(owner: string, repo: string, ref: string, path: string): string | undefined;
  treeFiles(owner: string, repo: string, ref: string): Record<string, string>;
  /** The git commit object (GET /git/commits/{sha}); `sha` may also be a branch. */
  commit(owner: string, repo: string, sha: string): GitCommitJson | undefined;
  /** The commit as GET /commits/{ref} answers, with files against its first parent. */
  repoCommit(owner: string, repo: string, ref: string): RepoCommitJson | undefined;
  reviews(owner: string, repo: string, pull: number): ReviewJson[];
  reviewComments(owner: string, repo: string, pull: number): ReviewCommentJson[];
  /** Every check run on a commit (all apps, every re-run), oldest first. */
  checkRuns(owner: string, repo: string, sha: string): CheckRunJson[];
  checkRun(owner: string, repo: string, id: number): CheckRunJson | undefined;
  checkSuites(owner: string, repo: string, sha: string): CheckSuiteJson[];
  /** Every commit status on a commit, oldest first. */
  statuses(owner: string, repo: string, sha: string): StatusJson[];
  combinedStatus(owner: string, repo: string, sha: string): CombinedStatusJson;
}

/** A deep copy, so a test cannot change the simulator's state through what it reads. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function repoFor(s: SimState, owner: string, repo: string): RepoState {
  const found = s.findRepo(owner, repo);
  if (!found) throw new Error(`github-sim: no repository ${owner}/${repo} (add it with addRepo)`);
  return found;
}

export function createInspection(s: SimState): SimInspection {
  const pullOf = (repo: RepoState, n: number) => {
    const pr = repo.issues.get(n);
    if (!pr?.pull) throw new Error(`github-sim: no pull request #${n} in ${repo.owner}/${repo.name}`);
    return pr as typeof pr & { pull: NonNullable<typeof pr.pull> };
  };
  const commitOf = (repo: RepoState, ref: string) => s.resolveCommit(repo, ref);
  return {
    repository: (o, r) => plain(repoShape(s, repoFor(s, o, r))),
    user: (login) => plain(userShape(s, login)),
    issue: (o, r, n) => {
      const repo = repoFor(s, o, r);
      const issue = repo.issues.get(n);
      if (!issue) throw new Error(`github-sim: no issue #${n} in ${o}/${r}`);
      return plain(issueShape(s, repo, issue));
    },
    issues: (o, r) => {
      const repo = repoFor(s, o, r);
      return [...repo.issues.values()].map((i) => plain(issueShape(s, repo, i)));
    },
    comments: (o, r, n) => {
      const repo = repoFor(s, o, r);
      return [...repo.comments.values()].filter((c) => c.issue === n).map((c) => plain(commentShape(s, repo, c)));
    },
    comment: (o, r, id) => {
      const repo = repoFor(s, o, r);
      const found = repo.comments.get(id);
      return found ? plain(commentShape(s, repo, found)) : undefined;
    },
    labels: (o, r, n) => [...(repoFor(s, o, r).issues.get(n)?.labels ?? [])],
    reactions: (o, r, id) =>
      repoFor(s, o, r)
        .reactions.filter((x) => x.commentId === id)
        .map((x) => plain(reactionShape(s, x))),
    pulls: (o, r) => {
      const repo = repoFor(s, o, r);
      return [...repo.issues.values()].filter((i) => i.pull).map((i) => plain(pullShape(s, repo, pullOf(repo, i.number))));
    },
    pull: (o, r, n) => {
      const repo = repoFor(s, o, r);
      return plain(pullShape(s, repo, pullOf(repo, n)));
    },
    pullFiles: (o, r, n) => {
      const repo = repoFor(s, o, r);
      const pr = pullOf(repo, n);
      return pullDiff(s, repo, pr).map((f) => plain(diffFileShape(s, repo, f, pr.pull.headSha)));
    },
    label: (o, r, name) => {
      const repo = repoFor(s, o, r);
      const found = repo.labels.get(name.toLowerCase());
      return found ? plain(labelShape(s, repo, found)) : undefined;
    },
    branchHead: (o, r, branch) => s.branchHead(repoFor(s, o, r), branch),
    branches: (o, r) => {
      const heads = [...repoFor(s, o, r).refs.entries()].filter(([ref]) => ref.startsWith("refs/heads/"));
      return Object.fromEntries(heads.map(([ref, sha]) => [ref.slice("refs/heads/".length), sha]));
    },
    fileAt: (o, r, ref, path) => {
      const repo = repoFor(s, o, r);
      const sha = commitOf(repo, ref);
      const entry = sha ? repo.git.entryAt(repo.git.commit(sha)!.tree, path) : undefined;
      return entry?.type === "blob" ? repo.git.blob(entry.sha)!.toString("utf8") : undefined;
    },
    treeFiles: (o, r, ref) => {
      const repo = repoFor(s, o, r);
      const sha = commitOf(repo, ref);
      if (!sha) throw new Error(`github-sim: no commit for ${ref} in ${o}/${r}`);
      const flat = repo.git.flatten(repo.git.commit(sha)!.tree);
      return Object.fromEntries([...flat.entries()].map(([path, e]) => [path, repo.git.blob(e.sha)?.toString("utf8") ?? ""]));
    },
    commit: (o, r, sha) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, sha);
      return full ? plain(gitCommitShape(s, repo, full)) : undefined;
    },
    repoCommit: (o, r, ref) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, ref);
      return full ? plain(commitDetailShape(s, repo, full)) : undefined;
    },
    reviews: (o, r, n) => {
      const repo = repoFor(s, o, r);
      return repo.reviews.filter((x) => x.pull === n).map((x) => plain(reviewShape(s, repo, x)));
    },
    reviewComments: (o, r, n) => {
      const repo = repoFor(s, o, r);
      return repo.reviewComments.filter((x) => x.pull === n).map((x) => plain(reviewCommentShape(s, repo, x)));
    },
    checkRuns: (o, r, sha) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, sha);
      return [...repo.checkRuns.values()].filter((x) => x.headSha === full).map((x) => plain(checkRunShape(s, repo, x)));
    },
    checkRun: (o, r, id) => {
      const repo = repoFor(s, o, r);
      const run = repo.checkRuns.get(id);
      return run ? plain(checkRunShape(s, repo, run)) : undefined;
    },
    checkSuites: (o, r, sha) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, sha);
      return repo.checkSuites.filter((x) => x.headSha === full).map((x) => plain(checkSuiteShape(s, repo, x)));
    },
    statuses: (o, r, sha) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, sha);
      return repo.statuses.filter((x) => x.sha === full).map((x) => plain(statusShape(s, repo, x)));
    },
    combinedStatus: (o, r, sha) => {
      const repo = repoFor(s, o, r);
      const full = commitOf(repo, sha);
      if (!full) throw new Error(`github-sim: no commit for ${sha} in ${o}/${r}`);
      return plain(combinedStatusShape(s, repo, full));
    },
  };
}
