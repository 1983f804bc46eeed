import type { FlatTree } from "./git-objects.js";
import { diffTrees, type FileDiff } from "./patch.js";
import type { SimState } from "./state.js";
import type { IssueRecord, PullRecord, RepoState } from "./types.js";

type Pull = IssueRecord & { pull: PullRecord };

/** The base commit a pull request is compared with: the base branch while open, frozen after. */
export function baseSha(s: SimState, repo: RepoState, pr: Pull): string {
  if (pr.state === "open") return s.branchHead(repo, pr.pull.baseRef) ?? pr.pull.baseSha ?? pr.pull.headSha;
  return pr.pull.baseSha ?? s.branchHead(repo, pr.pull.baseRef) ?? pr.pull.headSha;
}

/** The PR's files as GitHub shows them at `commit` (default: head): three-dot, from the merge base. */
export function pullDiff(s: SimState, repo: RepoState, pr: Pull, commit = pr.pull.headSha): FileDiff[] {
  const base = pr.pull.merged ? pr.pull.baseSha! : baseSha(s, repo, pr);
  const mergeBase = repo.git.mergeBase(base, commit) ?? base;
  return diffTrees(repo.git, repo.git.commit(mergeBase)!.tree, repo.git.commit(commit)!.tree);
}

/** Commits of a pull request, oldest first. */
export function pullCommits(s: SimState, repo: RepoState, pr: Pull): string[] {
  return repo.git.commitsBetween(pr.pull.merged ? pr.pull.baseSha! : baseSha(s, repo, pr), pr.pull.headSha);
}

/**
 * A file-level three-way merge of head into base; undefined on a conflict (both sides changed a
 * file differently). Stricter than git, which merges non-overlapping edits of one file.
 */
export function mergeTrees(s: SimState, repo: RepoState, base: string, head: string): FlatTree | undefined {
  const git = repo.git;
  const mergeBase = git.mergeBase(base, head);
  const flat = (sha: string | undefined): FlatTree => (sha ? git.flatten(git.commit(sha)!.tree) : new Map());
  const [m, b, h] = [flat(mergeBase), flat(base), flat(head)];
  const out: FlatTree = new Map();
  for (const path of new Set([...m.keys(), ...b.keys(), ...h.keys()])) {
    const [mm, bb, hh] = [m.get(path)?.sha, b.get(path)?.sha, h.get(path)?.sha];
    let pick: "b" | "h";
    if (bb === hh || hh === mm) pick = "b";
    else if (bb === mm) pick = "h";
    else return undefined;
    const entry = pick === "b" ? b.get(path) : h.get(path);
    if (entry) out.set(path, entry);
  }
  return out;
}

export function isMergeable(s: SimState, repo: RepoState, pr: Pull): boolean | null {
  if (pr.pull.mergeable !== undefined) return pr.pull.mergeable;
  if (pr.pull.merged) return null;
  return mergeTrees(s, repo, baseSha(s, repo, pr), pr.pull.headSha) !== undefined;
}

/** Merges a pull request: a merge or squash commit on the base branch. Returns its sha. */
export function mergePullRequest(
  s: SimState,
  repo: RepoState,
  pr: Pull,
  by: string,
  method: "merge" | "squash" | "rebase",
  title?: string,
  message?: string,
): string | "conflict" {
  const base = s.branchHead(repo, pr.pull.baseRef)!;
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
    author: method === "merge" ? sig : repo.git.commit(pr.pull.headSha)!.author,
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
