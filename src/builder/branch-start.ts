import type { GitCommitInfo, RepoGitHub } from "../github/door.js";
import { claimedFields, sealedFields, type CommitFields } from "./commit-seal.js";
import { BuildFailure } from "./failure.js";

/**
 * Where an attempt's commit goes: on the phase branch's head, or on the base branch's head (new
 * branch, "start over", or a branch this run has not built on yet). A person's commit on the phase
 * branch is never force-overwritten: when a reset would drop one, the attempt builds on top of the
 * branch instead. The app's own commits are those its seal vouches for (`commit-seal.ts`), and the
 * one the run's signed state names as its last build; trailers alone prove nothing.
 */

/** The new commit's parent: its tree is known when the commit was read, else it comes with the listing. */
export type ParentCommit = Pick<GitCommitInfo, "sha"> & { treeSha?: string };

export interface BranchStart {
  /** The new commit's parent. */
  parent: ParentCommit;
  branchExists: boolean;
  /** Move the branch with force (start over, only over the app's own commits). */
  force: boolean;
  /** The branch head this decision was made on (null: no branch); a forced move only happens over it. */
  branchHead: string | null;
  /** The base head when `parent` is it (recorded in the commit's trailer). */
  baseSha: string | null;
  notes: string[];
}

export interface BranchStartInput {
  github: RepoGitHub;
  branch: string;
  baseBranch: string;
  startOver: boolean;
  /** The app's last commit on the branch per the run's state; undefined when not known. */
  appHead?: string | null | undefined;
  runId: string;
  phaseId: string;
  sealKey: Buffer;
}

/** App commits followed down from the branch head before giving up (and keeping the branch). */
const MAX_WALK = 20;

export async function resolveBranchStart(input: BranchStartInput): Promise<BranchStart> {
  const { github } = input;
  const branchSha = await github.branchSha(input.branch);
  // A branch this run never built on (the state names no build of the phase): an earlier run's, or
  // one a person made. Nothing on it is this run's; it is reset like a start over, over the app's
  // commits only.
  const firstBuild = input.appHead === null;
  if (branchSha !== null) {
    const head = await github.commit(branchSha);
    const notes: string[] = [];
    const onTop = () => ({ parent: head, branchExists: true, force: false, branchHead: branchSha, baseSha: null, notes });
    if (!input.startOver && !firstBuild) {
      if (branchSha !== input.appHead && sealedFields(input.sealKey, head)?.runId !== input.runId)
        notes.push(`Built on top of ${short(head.sha)}, the branch head, a commit not made by Autopack for this run.`);
      return onTop();
    }
    // Commit trailers can be copied; the run's signed state says which commit the app really made.
    if (input.startOver && input.appHead !== undefined && input.appHead !== null && input.appHead !== branchSha) {
      notes.push(
        `Did not start over: the branch head ${short(branchSha)} is not the commit Autopack last built; built on top of the branch instead.`,
      );
      return onTop();
    }
    const person = await findOthersCommit(github, head, input);
    if (person !== null) {
      notes.push(
        input.startOver
          ? `Did not start over: the branch holds ${short(person)}, a commit not made by Autopack, which a reset would drop; built on top of the branch instead.`
          : `The branch already held ${short(person)}, a commit not made by Autopack for this run; built on top of it.`,
      );
      return onTop();
    }
  }
  const baseSha = await github.branchSha(input.baseBranch);
  if (baseSha === null) throw new BuildFailure(`the base branch "${input.baseBranch}" does not exist`);
  // The base head's tree is listed from the commit itself: no read of the commit is needed.
  const parent: ParentCommit = { sha: baseSha };
  const notes =
    branchSha === null
      ? []
      : input.startOver
        ? [`Started over from ${input.baseBranch} (${short(baseSha)}).`]
        : [`Started from ${input.baseBranch} (${short(baseSha)}): the branch held only Autopack's commits of an earlier attempt or run.`];
  return { parent, branchExists: branchSha !== null, force: branchSha !== null, branchHead: branchSha, baseSha, notes };
}

/**
 * The first commit, going down the branch from its head, that is not the app's for this issue and
 * phase (sealed, or the one the run's state names as its last build), or null when the app's commits
 * reach down to one built directly on a base head. Undecided after {@link MAX_WALK} commits counts as
 * found: the branch is then kept.
 */
async function findOthersCommit(github: RepoGitHub, head: GitCommitInfo, input: BranchStartInput): Promise<string | null> {
  // Runs of one issue share `gh-<repository id>-<issue>-`; the phase branch is the issue's and the phase's.
  const issueRuns = input.runId.replace(/\d+$/, "");
  const ours = (commit: GitCommitInfo): CommitFields | null => {
    const fields = sealedFields(input.sealKey, commit) ?? (commit.sha === input.appHead ? claimedFields(commit) : null);
    return fields !== null && fields.phaseId === input.phaseId && fields.runId.startsWith(issueRuns) ? fields : null;
  };
  let commit = head;
  for (let i = 0; i < MAX_WALK; i += 1) {
    const fields = ours(commit);
    if (fields === null) return commit.sha;
    if (fields.baseSha === fields.parentSha) return null;
    commit = await github.commit(fields.parentSha);
  }
  return commit.sha;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
