import { diffTrees } from "./patch.js";
/** The base commit a pull request is compared with: the base branch while open, frozen after. */
export function baseSha(s, repo, pr) {
  if (pr.state === "open") return s.branchHead(repo, pr.pull.baseRef) ?? pr.pull.baseSha ?? pr.pull.headSha;
  return pr.pull.baseSha ?? s.branchHead(repo, pr.pull.baseRef) ?? pr.pull.headSha;
}
/** The PR's files as GitHub shows them at `commit` (default: head): three-dot, from the merge base. */
export function pullDiff(s, repo, pr, commit = pr.pull.headSha) {
  const base = pr.pull.merged ? pr.pull.baseSha : baseSha(s, repo, pr);
  const mergeBase = repo.git.mergeBase(base, commit) ?? base;
  return diffTrees(repo.git, repo.git.commit(mergeBase).tree, repo.git.commit(commit).tree);
}
/** Commits of a pull request, oldest first. */
export function pullCommits(s, repo, pr) {
  return repo.git.commitsBetween(pr.pull.merged ? pr.pull.baseSha : baseSha(s, repo, pr), pr.pull.headSha);
}
/**
 * A file-level three-way merge of head into base; undefined on a conflict (both sides changed a
 * file differently). Stricter than git, which merges non-overlapping edits of one file.
 */
export function mergeTrees(s, repo, base, head) {
  const git = repo.git;
  const mergeBase = git.mergeBase(base, head);
  const flat = (sha) => (sha ? git.flatten(git.commit(sha).tree) : new Map());
  const [m, b, h] = [flat(mergeBase), flat(base), flat(head)];
  const out = new Map();
  for (const path of new Set([...m.keys(), ...b.keys(), ...h.keys()])) {
    const [mm, bb, hh] = [m.get(path)?.sha, b.get(path)?.sha, h.get(path)?.sha];
    let pick;
    if (bb === hh || hh === mm) pick = "b";
    else if (bb === mm) pick = "h";
    else return undefined;
    const entry = pick === "b" ? b.get(path) : h.get(path);
    if (entry) out.set(path, entry);
  }
  return out;
}
export function isMergeable(s, repo, pr) {
  if (pr.pull.mergeable !== undefined) return pr.pull.mergeable;
  if (pr.pull.merged) return null;
  return mergeTrees(s, repo, baseSha(s, repo, pr), pr.pull.headSha) !== undefined;
}
/** Merges a pull request: a merge or squash commit on the base branch. Returns its sha. */
export function mergePullRequest(s, repo, pr, by, method, title, message) {
  const base = s.branchHead(repo, pr.pull.baseRef);
  const merged = mergeTrees(s, repo, base, pr.pull.headSha);
  if (!merged || pr.pull.mergeable === false) return "conflict";
  const sig = s.signature(by);
  const headline =
    title ??
    (method === "merge" ? `Merge pull request #${pr.number} from ${repo.owner}/${pr.pull.headRef}` : `${pr.title} (#${pr.number})`);
  const body = message ?? (method === "merge" ? pr.title : "");
  const sha = repo.git.writeCommit({
    tree: repo.git.writeFlat(merged),
    parents: method === "merge" ? [base, pr.pull.headSha] : [base],
    message: body ? `${headline}\n\n${body}` : headline,
    author: method === "merge" ? sig : repo.git.commit(pr.pull.headSha).author,
    committer: { name: "GitHub", email: "noreply@github.com", date: sig.date },
  });
  pr.pull.baseSha = base;
  pr.pull.merged = true;
  pr.pull.mergedAt = sig.date;
  pr.pull.mergedBy = by;
  pr.pull.mergeCommitSha = sha;
  s.setRef(repo, `refs/heads/${pr.pull.baseRef}`, sha);
  s.closeIssue(repo, pr, by);
  pr.pull.baseSha = base;
  return sha;
}
//# sourceMappingURL=pull-logic.js.map
