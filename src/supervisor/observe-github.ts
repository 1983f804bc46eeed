import { checksOn } from "../github/commit-checks.js";
import type { GitHubClient } from "../github/client.js";
import type { Observations, PhaseObservation } from "./events.js";
import type { RunState } from "./run-state.js";
import type { RepoInfo } from "./run-store.js";

/**
 * Looks at what GitHub shows for every phase that has a pull request: open, merged or closed, its
 * head, and (while a phase waits for them) the repository's checks on that head. A head with no
 * checks counts as "no CI" only when the base branch has none either; otherwise CI is expected.
 */
export async function observePhases(gh: GitHubClient, repo: RepoInfo, state: RunState, baseBranch: string): Promise<Observations> {
  const phases: Record<string, PhaseObservation> = {};
  let baseHasChecks: boolean | undefined;
  for (const [phaseId, rec] of Object.entries(state.phases)) {
    if (rec.pr === null || rec.step === "merged" || rec.step === "cancelled") continue;
    const { data: pr } = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: rec.pr });
    const observation: PhaseObservation = {
      pr: { number: pr.number, state: pr.state === "closed" ? "closed" : "open", merged: Boolean(pr.merged), headSha: pr.head.sha },
      checks: null,
    };
    const waitsForChecks = rec.step === "checks" || (rec.head_sha !== null && rec.head_sha !== pr.head.sha);
    if (pr.state === "open" && waitsForChecks) {
      observation.checks = await checksOn(gh, repo.owner, repo.repo, pr.head.sha);
      if (observation.checks.state === "none") {
        baseHasChecks ??= (await checksOn(gh, repo.owner, repo.repo, baseBranch)).state !== "none";
        if (baseHasChecks) observation.checks = { state: "pending", summary: "", probes: [] };
      }
    }
    phases[phaseId] = observation;
  }
  return { phases };
}
