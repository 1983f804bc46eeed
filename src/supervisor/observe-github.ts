import type { RepoGitHub } from "../github/door.js";
import type { Observations, PhaseObservation } from "./events.js";
import type { RunState } from "./run-state.js";

/** What `awaiting` says when only the base branch suggests that CI will report. */
export const BASE_BRANCH_CHECKS = "the base branch's checks";

/**
 * Looks at what GitHub shows for every phase that has a pull request: open, merged or closed, its
 * head, and the repository's checks on that head while the phase waits for them, is audited or awaits
 * its merge (a failure that reports after the audit still counts). "No checks yet" is not "no CI": a
 * head whose checks have not started names the apps whose check suite waits on it (`awaiting`), or,
 * with no suite either, the base branch's checks when the base branch has some; `decide` waits for
 * them a while (see `EXPECTED_CHECKS_MINUTES`).
 */
export async function observePhases(
  github: RepoGitHub,
  state: RunState,
  baseBranch: string,
  known: KnownPulls = new Map(),
): Promise<Observations> {
  const phases: Record<string, PhaseObservation> = {};
  let baseHasChecks: boolean | undefined;
  for (const [phaseId, rec] of Object.entries(state.phases)) {
    if (rec.pr === null || rec.step === "merged" || rec.step === "cancelled") continue;
    const pr = known.get(rec.pr) ?? (await github.pull(rec.pr));
    const observation: PhaseObservation = {
      pr: { number: pr.number, state: pr.state, merged: pr.merged, headSha: pr.headSha },
      checks: null,
    };
    const headMoved = rec.head_sha !== null && rec.head_sha !== pr.headSha;
    const waitsForChecks = rec.step === "checks" || headMoved;
    const watched = rec.step === "auditing" || rec.step === "awaiting_merge";
    if (pr.state === "open" && (waitsForChecks || watched)) {
      // Only a phase that waits for its checks needs to know whether more are coming.
      const checks = await github.checks(pr.headSha, { awaiting: waitsForChecks });
      if (waitsForChecks && checks.state === "none" && checks.awaiting.length === 0) {
        baseHasChecks ??= await github.branchHasChecks(baseBranch);
        if (baseHasChecks) checks.awaiting = [BASE_BRANCH_CHECKS];
      }
      observation.checks = checks;
    }
    phases[phaseId] = observation;
  }
  return { phases };
}

/** A pull request as GitHub showed it. */
export type PullSnapshot = NonNullable<PhaseObservation["pr"]>;
/** Pull requests whose state a webhook already said for good (merged ones), by number: not read again. */
export type KnownPulls = ReadonlyMap<number, PullSnapshot>;

/** What a merged PR is, for good: closed, merged, at the head it was merged with. */
export function mergedPulls(merged: { pr: number; headSha: string } | undefined): KnownPulls {
  if (!merged) return new Map();
  return new Map([[merged.pr, { number: merged.pr, state: "closed", merged: true, headSha: merged.headSha }]]);
}
