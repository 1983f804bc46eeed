import type { PhasePull } from "../github/door.js";
import { phasePullTitle, renderPrBody, type PrBodyInput } from "./pr-body.js";
import type { BuildInput } from "./types.js";

/** Opens the attempt's phase PR, or brings it up to date: the same title and body whoever built the change. */
export function upsertAttemptPull(
  input: Pick<BuildInput, "github" | "branch" | "baseBranch" | "config" | "issueNumber" | "runId" | "phase" | "attempt">,
  change: Pick<PrBodyInput, "summary" | "files" | "linesAdded" | "linesRemoved" | "tokensUsed">,
): Promise<PhasePull> {
  return input.github.upsertPhasePull({
    branch: input.branch,
    base: input.baseBranch,
    title: phasePullTitle(input.phase),
    draft: input.config.draft,
    body: renderPrBody({ issueNumber: input.issueNumber, runId: input.runId, phase: input.phase, attempt: input.attempt, ...change }),
  });
}
