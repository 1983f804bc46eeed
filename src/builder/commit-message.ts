import { cut, forMarkdownBody } from "../policy/outbound.js";

/**
 * Commit messages of Builder commits and how the app recognises its own commits on a phase branch:
 * trailers `Autopack-Run`, `Autopack-Phase`, `Autopack-Attempt`, and `Autopack-Base` when the commit
 * was built directly on the base branch (its parent is then not a person's commit).
 */

export interface CommitMessageInput {
  phaseId: string;
  attempt: number;
  runId: string;
  /** The model's summary (untrusted). */
  summary: string;
  /** Set when the commit's parent is the base branch's head. */
  baseSha: string | null;
}

const MAX_SUBJECT = 72;
const MAX_BODY_LINES = 30;

export function commitMessage(input: CommitMessageInput): string {
  const lines = forMarkdownBody(input.summary)
    .split("\n")
    .map((l) => l.trimEnd())
    // A summary line must never pass for one of the app's trailers.
    .map((l) => (/^\s*autopack-[a-z]+\s*:/i.test(l) ? `(${l.trim()})` : l));
  const firstIndex = lines.findIndex((l) => l.trim().length > 0);
  const first = firstIndex === -1 ? "changes" : (lines[firstIndex] ?? "").trim();
  const prefix = `Autopack ${input.phaseId} (attempt ${input.attempt}): `;
  const room = Math.max(10, MAX_SUBJECT - prefix.length);
  const subject = prefix + cut(first, room);
  const body = firstIndex === -1 ? [] : trimBlank(lines.slice(firstIndex + 1)).slice(0, MAX_BODY_LINES);
  const trailers = [
    `Autopack-Run: ${input.runId}`,
    `Autopack-Phase: ${input.phaseId}`,
    `Autopack-Attempt: ${input.attempt}`,
    ...(input.baseSha ? [`Autopack-Base: ${input.baseSha}`] : []),
  ];
  return [subject, "", ...(body.length > 0 ? [...body, ""] : []), ...trailers, ""].join("\n");
}

/** Trailers of the message's last paragraph. */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? "";
  const trailers = new Map<string, string>();
  for (const line of last.split("\n")) {
    const match = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) trailers.set(match[1].toLowerCase(), match[2].trim());
  }
  return trailers;
}

export interface AppCommitCheck {
  runId: string;
  phaseId: string;
}

/** True for a commit this app wrote for this run and phase. */
export function isAppCommit(message: string, check: AppCommitCheck): boolean {
  const trailers = parseTrailers(message);
  return trailers.get("autopack-run") === check.runId && trailers.get("autopack-phase") === check.phaseId;
}

/** The base commit an app commit was built on directly, or null. */
export function builtOnBase(message: string): string | null {
  return parseTrailers(message).get("autopack-base") ?? null;
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start += 1;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end -= 1;
  return lines.slice(start, end);
}
