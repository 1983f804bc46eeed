/**
 * The task message of an audit: trusted framing around sections whose untrusted contents are
 * already inside `untrustedBlock(...)`.
 */
export interface AuditTaskSections {
  /** The phase (untrusted block). */
  phase: string;
  /** The PR title and body (untrusted block). */
  pullRequest: string;
  /** Findings of the deterministic checks (untrusted block), or "" when there are none. */
  checks: string;
  /** One untrusted block per file diff, in the order chosen. */
  diffs: string[];
  /** The note about files left out or cut short, or "". */
  omitted: string;
  /** Full head versions of some changed files (untrusted blocks), or []. */
  surroundings: string[];
}

export const AUDIT_TASK_INTRO =
  "Review this pull request against its phase. The diffs are GitHub's unified diffs of each changed file; " +
  "line numbers of the new version are on the right side of each hunk header (@@ -old +new @@). " +
  "Diffs and files are shown exactly as committed (HTML comments and invisible characters included), except that " +
  "a `<` starting anything that reads as an untrusted tag is written `&lt;`.";

export function auditTaskPrompt(s: AuditTaskSections): string {
  const parts = [AUDIT_TASK_INTRO, "## Phase", s.phase, "## Pull request", s.pullRequest];
  if (s.checks !== "") parts.push("## Deterministic findings (already reported; do not repeat them)", s.checks);
  parts.push("## Changes", s.diffs.length > 0 ? s.diffs.join("\n\n") : "(no diff could be included)");
  if (s.omitted !== "") parts.push(s.omitted);
  if (s.surroundings.length > 0) parts.push("## Full new versions of some changed files, for context", s.surroundings.join("\n\n"));
  parts.push("Answer with the JSON object the schema describes.");
  return parts.join("\n\n");
}
