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

/** Error text from elsewhere, safe to show people: no URLs, no token-shaped strings. */
export function safeErrorText(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]")
    .replace(/\b(?:gh[pousr]_|github_pat_|sk-)[A-Za-z0-9_-]{8,}/g, "[REDACTED]")
    .slice(0, 1_000);
}
