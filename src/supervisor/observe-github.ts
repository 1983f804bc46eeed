import type { RepoGitHub } from "../github/door.js";
import type { Observations, PhaseObservation } from "./events.js";
import type { RunState } from "./run-state.js";

/**
 * Looks at what GitHub shows for every phase that has a pull request: open, merged or closed, its
 * head, and (while a phase waits for them) the repository's checks on that head. A head with no
 * checks counts as "no CI" only when the base branch has none either; otherwise CI is expected.
 */
export async function observePhases(github: RepoGitHub, state: RunState, baseBranch: string): Promise<Observations> {
  const phases: Record<string, PhaseObservation> = {};
  let baseHasChecks: boolean | undefined;
  for (const [phaseId, rec] of Object.entries(state.phases)) {
    if (rec.pr === null || rec.step === "merged" || rec.step === "cancelled") continue;
    const pr = await github.pull(rec.pr);
    const observation: PhaseObservation = {
      pr: { number: pr.number, state: pr.state, merged: pr.merged, headSha: pr.headSha },
      checks: null,
    };
    const waitsForChecks = rec.step === "checks" || (rec.head_sha !== null && rec.head_sha !== pr.headSha);
    if (pr.state === "open" && waitsForChecks) {
      observation.checks = await github.checks(pr.headSha);
      if (observation.checks.state === "none") {
        baseHasChecks ??= (await github.checks(baseBranch)).state !== "none";
        if (baseHasChecks) observation.checks = { state: "pending", summary: "", probes: [] };
      }
    }
    phases[phaseId] = observation;
  }
  return { phases };
}
