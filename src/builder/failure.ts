import type { BuildOutcome } from "./types.js";

/**
 * An expected end of an attempt (bad model output, refused paths, budget, LLM down, nothing to
 * commit): `runBuilder` turns it into a `failed` outcome with this message as notes. GitHub errors
 * are never wrapped in it.
 */
export class BuildFailure extends Error {
  override readonly name = "BuildFailure";
  constructor(
    message: string,
    /** Set when no retry can help: the model server refuses the app's key or model. */
    readonly environment = false,
  ) {
    super(message);
  }
}

/**
 * An attempt only a person can take further: the change would alter what runs in CI or on install.
 * Nothing was written; the phase escalates at once (a retry would make the same change).
 */
export class NeedsPerson extends BuildFailure {
  constructor(
    message: string,
    /** The proposed change of the files concerned, as a unified diff, for the person. */
    readonly details: string,
  ) {
    super(message);
  }
}

/** The outcome of an attempt that ended before anything was committed. */
export function failedOutcome(notes: string, tokensUsed: number, durationMinutes: number): BuildOutcome {
  return {
    status: "failed",
    commitSha: null,
    prNumber: null,
    prUrl: null,
    patch: "",
    filesChanged: [],
    linesAdded: 0,
    linesRemoved: 0,
    tokensUsed,
    durationMinutes,
    notes,
  };
}
