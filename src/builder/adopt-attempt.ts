import parseDiff from "parse-diff";
import type { ChangeKind } from "./patch.js";
import { parseTrailers } from "./commit-message.js";
import { phasePullTitle, renderPrBody } from "./pr-body.js";
import type { BuildInput, BuildOutcome } from "./types.js";

/**
 * A process that stopped after committing an attempt but before recording it leaves that attempt's
 * commit on the phase branch. When the attempt runs again, the commit is taken as its result (the
 * PR is ensured, the patch read back from GitHub) instead of asking the model for the same work.
 */
export async function adoptCommittedAttempt(input: BuildInput, started: number): Promise<BuildOutcome | null> {
  const { github, phase } = input;
  const head = await github.branchSha(input.branch);
  if (head === null) return null;
  const commit = await github.commit(head);
  const trailers = parseTrailers(commit.message);
  const parent = commit.parents[0];
  if (
    trailers.get("autopack-run") !== input.runId ||
    trailers.get("autopack-phase") !== phase.phase_id ||
    trailers.get("autopack-attempt") !== String(input.attempt) ||
    parent === undefined
  ) {
    return null;
  }
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
  const pull = await github.upsertPhasePull({
    branch: input.branch,
    base: input.baseBranch,
    title: phasePullTitle(phase),
    draft: input.config.draft,
    body: renderPrBody({
      issueNumber: input.issueNumber,
      runId: input.runId,
      phase,
      attempt: input.attempt,
      summary,
      files,
      linesAdded,
      linesRemoved,
      tokensUsed: 0,
    }),
  });
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
