import { HttpError } from "./http-error.js";
import { repoFor } from "./inspect.js";
import { mergePullRequest } from "./pull-logic.js";
import { createReview, type ReviewInput } from "./review-logic.js";
import { CI_APP, type RepoSpec, type SimState } from "./state.js";
import { createCheckRun, createStatus, updateCheckRun, type CheckRunInput } from "./routes/checks.js";
import { addComment, changeLabels, ensureLabel } from "./routes/issues.js";
import { openPull } from "./routes/pulls.js";
import type { Annotation, IssueRecord, Role, StatusRecord } from "./types.js";

export interface SimRepo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  /** The initial commit on the default branch. */
  headSha: string;
}

export interface CheckRunSpec {
  name: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: "action_required" | "cancelled" | "failure" | "neutral" | "success" | "skipped" | "stale" | "timed_out";
  output?: { title: string; summary: string; text?: string; annotations?: Annotation[] };
  detailsUrl?: string;
}

/** What people and the repository's own CI do, straight to the state (no HTTP, no checks). */
export interface SimActions {
  /**
   * `suitesOnPush`: slugs of the apps that get a check suite (queued, no run yet) on every push to a
   * branch, as GitHub does for the apps with checks to run: `github-actions` for a repository with
   * workflows, the app's own slug (GitHub makes a suite for every app with the checks permission).
   */
  addRepo(spec: RepoSpec): SimRepo;
  /** Changes which apps get a check suite on every push (see `addRepo`). */
  setSuitesOnPush(owner: string, repo: string, slugs: string[]): void;
  addUser(login: string, type?: "User" | "Bot"): void;
  setPermission(owner: string, repo: string, login: string, role: Role): void;
  /** A custom repository role named `name`, built on `base` (GitHub answers `permission` from the base, `role_name` from the name). */
  setCustomRole(owner: string, repo: string, login: string, name: string, base: Exclude<Role, "none">): void;
  addIssue(owner: string, repo: string, spec: { title: string; body: string; user: string; labels?: string[] }): number;
  editIssue(
    owner: string,
    repo: string,
    issue: number,
    changes: { title?: string; body?: string; state?: "open" | "closed" },
    by?: string,
  ): void;
  /** A person (`by`, the repository's owner by default) adds labels; each new one is a `labeled` issue event. */
  addLabels(owner: string, repo: string, issue: number, labels: string[], by?: string): void;
  removeLabel(owner: string, repo: string, issue: number, label: string, by?: string): void;
  addComment(owner: string, repo: string, issue: number, spec: { body: string; user: string }): number;
  /** A person edits a comment (`at`: when, as GitHub's `updated_at` will say; now by default). */
  editComment(owner: string, repo: string, commentId: number, body: string, options?: { at?: string }): void;
  /** A person with write access deletes a comment (anyone's). */
  deleteComment(owner: string, repo: string, commentId: number): void;
  /** A person pushes one commit to a branch (created from the default branch when missing). */
  pushCommit(owner: string, repo: string, branch: string, files: Record<string, string | null>, author: string, message?: string): string;
  /** Moves a branch to a commit (force), or deletes it with undefined. */
  setBranch(owner: string, repo: string, branch: string, sha: string | undefined): void;
  openPull(owner: string, repo: string, spec: { head: string; base?: string; title: string; body?: string; user: string }): number;
  mergePull(owner: string, repo: string, pull: number, by: string, method?: "merge" | "squash" | "rebase"): string;
  closePull(owner: string, repo: string, pull: number, by?: string): void;
  /** Forces `mergeable` (false: merging answers 405); undefined goes back to computing it. */
  setMergeable(owner: string, repo: string, pull: number, mergeable: boolean | null | undefined): void;
  addReview(
    owner: string,
    repo: string,
    pull: number,
    spec: {
      user: string;
      event: "APPROVE" | "REQUEST_CHANGES" | "COMMENT";
      body?: string;
      commitId?: string;
      comments?: ReviewInput["comments"];
    },
  ): number;
  setCommitStatus(
    owner: string,
    repo: string,
    sha: string,
    spec: { state: StatusRecord["state"]; context: string; description?: string; targetUrl?: string; user?: string },
  ): number;
  addCheckRun(owner: string, repo: string, sha: string, spec: CheckRunSpec): number;
  updateCheckRun(owner: string, repo: string, id: number, spec: Partial<CheckRunSpec>): void;
}

function wrap<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof HttpError) throw new Error(`github-sim: ${what}: ${JSON.stringify(error.body)}`);
    throw error;
  }
}

function checkInput(spec: Partial<CheckRunSpec>): CheckRunInput {
  return { name: spec.name, status: spec.status, conclusion: spec.conclusion, output: spec.output, details_url: spec.detailsUrl };
}

export function createActions(s: SimState): SimActions {
  const issueOf = (o: string, r: string, n: number) => {
    const issue = repoFor(s, o, r).issues.get(n);
    if (!issue) throw new Error(`github-sim: no issue #${n} in ${o}/${r}`);
    return issue;
  };
  const pullOf = (o: string, r: string, n: number) => {
    const issue = issueOf(o, r, n);
    if (!issue.pull) throw new Error(`github-sim: #${n} in ${o}/${r} is not a pull request`);
    return issue as typeof issue & { pull: NonNullable<typeof issue.pull> };
  };
  return {
    addRepo: (spec) => {
      const repo = s.addRepo(spec);
      const headSha = s.branchHead(repo, repo.defaultBranch)!;
      return {
        id: repo.id,
        owner: repo.owner,
        name: repo.name,
        fullName: `${repo.owner}/${repo.name}`,
        defaultBranch: repo.defaultBranch,
        private: repo.private,
        headSha,
      };
    },
    setSuitesOnPush: (o, r, slugs) => {
      repoFor(s, o, r).suitesOnPush = slugs.map((slug) => s.appBySlug(slug));
    },
    addUser: (login, type = "User") => void s.ensureUser(login, type),
    setPermission: (o, r, login, role) => {
      s.ensureUser(login);
      repoFor(s, o, r).roles.set(login.toLowerCase(), role);
      repoFor(s, o, r).customRoles.delete(login.toLowerCase());
    },
    setCustomRole: (o, r, login, name, base) => {
      s.ensureUser(login);
      repoFor(s, o, r).roles.set(login.toLowerCase(), base);
      repoFor(s, o, r).customRoles.set(login.toLowerCase(), name);
    },
    addIssue: (o, r, spec) => {
      const repo = repoFor(s, o, r);
      s.ensureUser(spec.user);
      const now = s.now();
      const number = repo.nextNumber++;
      const labels = (spec.labels ?? []).map((l) => ensureLabel(s, repo, l).name);
      const record: IssueRecord = {
        id: s.nextId(),
        number,
        title: spec.title,
        body: spec.body,
        user: spec.user,
        state: "open",
        stateReason: null,
        labels: [],
        assignees: [],
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closedBy: null,
      };
      repo.issues.set(number, record);
      changeLabels(s, repo, record, labels, { login: spec.user, viaApp: false });
      return number;
    },
    editIssue: (o, r, n, changes, by) => {
      const repo = repoFor(s, o, r);
      const issue = issueOf(o, r, n);
      if (changes.title !== undefined) issue.title = changes.title;
      if (changes.body !== undefined) issue.body = changes.body;
      if (changes.state === "closed" && issue.state === "open") s.closeIssue(repo, issue, by ?? issue.user);
      if (changes.state === "open") Object.assign(issue, { state: "open", closedAt: null, closedBy: null });
      issue.updatedAt = s.now();
    },
    addLabels: (o, r, n, labels, by) => {
      const repo = repoFor(s, o, r);
      const issue = issueOf(o, r, n);
      const next = [...issue.labels];
      for (const name of labels) {
        const label = ensureLabel(s, repo, name);
        if (!next.some((l) => l.toLowerCase() === label.name.toLowerCase())) next.push(label.name);
      }
      changeLabels(s, repo, issue, next, { login: s.ensureUser(by ?? repo.owner).login, viaApp: false });
    },
    removeLabel: (o, r, n, label, by) => {
      const repo = repoFor(s, o, r);
      const issue = issueOf(o, r, n);
      const next = issue.labels.filter((l) => l.toLowerCase() !== label.toLowerCase());
      changeLabels(s, repo, issue, next, { login: s.ensureUser(by ?? repo.owner).login, viaApp: false });
    },
    addComment: (o, r, n, spec) => {
      s.ensureUser(spec.user);
      return wrap("addComment", () => addComment(s, repoFor(s, o, r), issueOf(o, r, n), spec.body, spec.user, false).id);
    },
    editComment: (o, r, id, body, options = {}) => {
      const found = repoFor(s, o, r).comments.get(id);
      if (!found) throw new Error(`github-sim: no comment ${id} in ${o}/${r}`);
      found.body = body;
      found.updatedAt = options.at ?? s.now();
    },
    deleteComment: (o, r, id) => {
      const repo = repoFor(s, o, r);
      if (!repo.comments.delete(id)) throw new Error(`github-sim: no comment ${id} in ${o}/${r}`);
      repo.reactions = repo.reactions.filter((x) => x.commentId !== id);
    },
    pushCommit: (o, r, branch, files, author, message = "Update files") => s.commitFiles(repoFor(s, o, r), branch, files, author, message),
    setBranch: (o, r, branch, sha) => {
      const repo = repoFor(s, o, r);
      if (sha !== undefined && !repo.git.has(sha, "commit")) throw new Error(`github-sim: no commit ${sha} in ${o}/${r}`);
      s.setRef(repo, `refs/heads/${branch}`, sha);
    },
    openPull: (o, r, spec) => {
      const repo = repoFor(s, o, r);
      s.ensureUser(spec.user);
      return wrap("openPull", () => openPull(s, repo, spec.user, { ...spec, base: spec.base ?? repo.defaultBranch }).number);
    },
    mergePull: (o, r, n, by, method = "merge") => {
      const repo = repoFor(s, o, r);
      const pr = pullOf(o, r, n);
      if (pr.state !== "open") throw new Error(`github-sim: #${n} is not open`);
      const sha = mergePullRequest(s, repo, pr, by, method);
      if (sha === "conflict") throw new Error(`github-sim: #${n} is not mergeable`);
      return sha;
    },
    closePull: (o, r, n, by) => {
      const pr = pullOf(o, r, n);
      if (pr.state === "open") s.closeIssue(repoFor(s, o, r), pr, by ?? pr.user);
    },
    setMergeable: (o, r, n, mergeable) => {
      pullOf(o, r, n).pull.mergeable = mergeable;
    },
    addReview: (o, r, n, spec) => {
      s.ensureUser(spec.user);
      const input: ReviewInput = { event: spec.event, body: spec.body, commit_id: spec.commitId, comments: spec.comments };
      return wrap("addReview", () => createReview(s, repoFor(s, o, r), pullOf(o, r, n), spec.user, input).id);
    },
    setCommitStatus: (o, r, sha, spec) =>
      wrap(
        "setCommitStatus",
        () =>
          createStatus(s, repoFor(s, o, r), sha, spec.user ?? repoFor(s, o, r).owner, {
            state: spec.state,
            context: spec.context,
            description: spec.description,
            target_url: spec.targetUrl,
          }).id,
      ),
    addCheckRun: (o, r, sha, spec) =>
      wrap("addCheckRun", () => createCheckRun(s, repoFor(s, o, r), CI_APP, { ...checkInput(spec), head_sha: sha }).id),
    updateCheckRun: (o, r, id, spec) => {
      const run = repoFor(s, o, r).checkRuns.get(id);
      if (!run) throw new Error(`github-sim: no check run ${id} in ${o}/${r}`);
      wrap("updateCheckRun", () => updateCheckRun(s, run, checkInput(spec)));
    },
  };
}
