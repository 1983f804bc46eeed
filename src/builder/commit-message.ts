import { cut, forMarkdownBody } from "../policy/outbound.js";

/**
 * Commit messages of Builder commits: trailers `Autopack-Run`, `Autopack-Phase`, `Autopack-Attempt`,
 * `Autopack-Base` when the commit was built directly on the base branch (its parent is then not a
 * person's commit), and `Autopack-Seal`, which alone makes the commit the app's (`commit-seal.ts`).
 */

export interface CommitMessageInput {
  phaseId: string;
  attempt: number;
  runId: string;
  /** The model's summary (untrusted). */
  summary: string;
  /** Set when the commit's parent is the base branch's head. */
  baseSha: string | null;
  /** The commit's seal (`commitSeal`), over these fields, its tree and its parent. */
  seal: string;
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
    `Autopack-Seal: ${input.seal}`,
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

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? "").trim() === "") start += 1;
  while (end > start && (lines[end - 1] ?? "").trim() === "") end -= 1;
  return lines.slice(start, end);
}
