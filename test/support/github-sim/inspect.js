import { pullDiff } from "./pull-logic.js";
import { checkRunShape, checkSuiteShape, combinedStatusShape, statusShape } from "./shapes-checks.js";
import { commitDetailShape, diffFileShape, gitCommitShape } from "./shapes-git.js";
import { pullShape, reviewCommentShape, reviewShape } from "./shapes-pulls.js";
import { commentShape, issueShape, labelShape, reactionShape, repoShape, userShape } from "./shapes.js";
/** A deep copy, so a test cannot change the simulator's state through what it reads. */
const plain = (value) => JSON.parse(JSON.stringify(value));
export function repoFor(s, owner, repo) {
  const found = s.findRepo(owner, repo);
  if (!found) throw new Error(`github-sim: no repository ${owner}/${repo} (add it with addRepo)`);
  return found;
}
export function createInspection(s) {
  const pullOf = (repo, n) => {
    const pr = repo.issues.get(n);
    if (!pr?.pull) throw new Error(`github-sim: no pull request #${n} in ${repo.owner}/${repo.name}`);
    return pr;
  };
  const commitOf = (repo, ref) => s.resolveCommit(repo, ref);
  return {
    repository: (o, r) => plain(repoShape(s, repoFor(s, o, r))),
    user: (login) => plain(userShape(s, login)),
    issue: (o, r, n) => {
      const repo = repoFor(s, o, r);
      const issue = repo.issues.get(n);
      if (!issue) throw new Error(`github-sim: no issue #${n} in ${o}/${r}`);
      return plain(issueShape(s, repo, issue));
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
      const entry = sha ? repo.git.entryAt(repo.git.commit(sha).tree, path) : undefined;
      return entry?.type === "blob" ? repo.git.blob(entry.sha).toString("utf8") : undefined;
    },
    treeFiles: (o, r, ref) => {
      const repo = repoFor(s, o, r);
      const sha = commitOf(repo, ref);
      if (!sha) throw new Error(`github-sim: no commit for ${ref} in ${o}/${r}`);
      const flat = repo.git.flatten(repo.git.commit(sha).tree);
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
//# sourceMappingURL=inspect.js.map
