import type { GitCommitInfo, RepoGitHub } from "../github/door.js";
import { builtOnBase, isAppCommit } from "./commit-message.js";
import { BuildFailure } from "./failure.js";

/**
 * Where an attempt's commit goes: on the phase branch's head, or on the base branch's head (new
 * branch, or "start over"). A person's commit on the phase branch is never force-overwritten: when
 * starting over would drop one, the attempt builds on top of the branch instead.
 */

export interface BranchStart {
  /** The new commit's parent. */
  parent: GitCommitInfo;
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
}

/** App commits followed down from the branch head before giving up (and keeping the branch). */
const MAX_WALK = 20;

export async function resolveBranchStart(input: BranchStartInput): Promise<BranchStart> {
  const { github } = input;
  const check = { runId: input.runId, phaseId: input.phaseId };
  const branchSha = await github.branchSha(input.branch);
  if (branchSha !== null) {
    const head = await github.commit(branchSha);
    const notes: string[] = [];
    if (!input.startOver) {
      if (!isAppCommit(head.message, check))
        notes.push(`Built on top of ${short(head.sha)}, the branch head, a commit not made by Autopack for this run.`);
      return { parent: head, branchExists: true, force: false, branchHead: branchSha, baseSha: null, notes };
    }
    // Commit trailers can be copied; the run's signed state says which commit the app really made.
    if (input.appHead !== undefined && input.appHead !== branchSha) {
      notes.push(
        `Did not start over: the branch head ${short(branchSha)} is not the commit Autopack last built; built on top of the branch instead.`,
      );
      return { parent: head, branchExists: true, force: false, branchHead: branchSha, baseSha: null, notes };
    }
    const person = await findOthersCommit(github, head, check);
    if (person !== null) {
      notes.push(
        `Did not start over: the branch holds ${short(person)}, a commit not made by Autopack for this run, which a reset would drop; built on top of the branch instead.`,
      );
      return { parent: head, branchExists: true, force: false, branchHead: branchSha, baseSha: null, notes };
    }
  }
  const baseSha = await github.branchSha(input.baseBranch);
  if (baseSha === null) throw new BuildFailure(`the base branch "${input.baseBranch}" does not exist`);
  const parent = await github.commit(baseSha);
  const notes = branchSha !== null ? [`Started over from ${input.baseBranch} (${short(baseSha)}).`] : [];
  return { parent, branchExists: branchSha !== null, force: branchSha !== null, branchHead: branchSha, baseSha, notes };
}

/**
 * The first commit, going down the branch from its head, that the app did not make for this run and
 * phase, or null when the app's commits reach back to the base. Undecided after {@link MAX_WALK}
 * commits counts as found: the branch is then kept.
 */
async function findOthersCommit(
  github: RepoGitHub,
  head: GitCommitInfo,
  check: { runId: string; phaseId: string },
): Promise<string | null> {
  let commit = head;
  for (let i = 0; i < MAX_WALK; i += 1) {
    if (!isAppCommit(commit.message, check)) return commit.sha;
    const parentSha = commit.parents[0];
    if (parentSha === undefined || builtOnBase(commit.message) === parentSha) return null;
    commit = await github.commit(parentSha);
  }
  return commit.sha;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
