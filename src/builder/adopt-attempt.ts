import parseDiff from "parse-diff";
import type { ChangeKind } from "./patch.js";
import { sealedFields } from "./commit-seal.js";
import { upsertAttemptPull } from "./phase-pull.js";
import type { BuildInput, BuildOutcome } from "./types.js";

/**
 * A process that stopped after committing an attempt but before recording it leaves that attempt's
 * commit on the phase branch. When the attempt runs again, the commit is taken as its result (the
 * PR is ensured, the patch read back from GitHub) instead of asking the model for the same work.
 *
 * Only a commit this very attempt could have made is taken: the branch head carries the app's seal
 * for this run, phase and attempt (trailers alone can be copied), and it sits on what the run's signed
 * state names (the phase's last build or the head it recorded) or, built directly on the base, on the
 * base head the seal names. Anything else on the branch is left to the attempt, which builds on it.
 */
export async function adoptCommittedAttempt(input: BuildInput, started: number): Promise<BuildOutcome | null> {
  const { github, phase } = input;
  const head = await github.branchSha(input.branch);
  if (head === null) return null;
  const commit = await github.commit(head);
  const sealed = sealedFields(input.sealKey, commit);
  if (sealed === null || sealed.runId !== input.runId || sealed.phaseId !== phase.phase_id || sealed.attempt !== input.attempt) {
    return null;
  }
  const parent = sealed.parentSha;
  const named = [input.appHead, input.recordedHead].filter((sha): sha is string => typeof sha === "string");
  if (!named.includes(parent) && sealed.baseSha !== parent) return null;
  const patch = await github.diff(parent, head);
  const files = parseDiff(patch).map((f) => ({
    path: (f.deleted ? f.from : f.to) ?? "",
    kind: (f.new ? "added" : f.deleted ? "deleted" : "modified") as ChangeKind,
    added: f.additions,
    removed: f.deletions,
  }));
  const summary = commit.message
    .split("\n\n")
    .slice(0, -1)
    .join("\n\n")
    .replace(/^Autopack \S+ \(attempt \d+\): /, "");
  const linesAdded = files.reduce((n, f) => n + f.added, 0);
  const linesRemoved = files.reduce((n, f) => n + f.removed, 0);
  const pull = await upsertAttemptPull(input, { summary, files, linesAdded, linesRemoved, tokensUsed: 0 });
  return {
    status: "success",
    commitSha: head,
    prNumber: pull.number,
    prUrl: pull.url,
    patch,
    filesChanged: files.map((f) => f.path),
    linesAdded,
    linesRemoved,
    tokensUsed: 0,
    durationMinutes: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
    notes: `${summary.trim() || "(no summary)"}\n\nRecovered: this attempt's commit was already on the branch when the attempt ran again (the app restarted before recording it).`,
  };
}
