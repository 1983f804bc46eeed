import type { AuditPrompt, PromptFile } from "./audit-prompt.js";

/**
 * What the Auditor could not read in full. An audit vouches only for what its model saw whole: a
 * file GitHub shows no diff for (binary, too large), a diff cut short or left out to fit
 * `audit_context_tokens`, or files GitHub did not list at all make the verdict `escalate` at best
 * (see verdict.ts), and the review and the check run name them with the reason.
 */
export interface Unread {
  path: string;
  why: string;
}

export interface Coverage {
  unread: Unread[];
  /** Changed files GitHub did not list (it lists at most 3,000), so nobody here saw them. */
  unlisted: number;
}

export interface CoverageInput {
  files: readonly PromptFile[];
  prompt: Pick<AuditPrompt, "partial" | "omitted">;
  /** How many files GitHub says the PR changes. */
  changedFiles: number;
  /** `audit_context_tokens`, for the reason. */
  maxTokens: number;
  /** A text file at the audited head, or null (missing, binary, too large). */
  readHead(path: string): Promise<string | null>;
  /** A text file at the PR's base commit, or null. */
  readBase(path: string): Promise<string | null>;
}

export async function auditCoverage(input: CoverageInput): Promise<Coverage> {
  const budget = `the audit's prompt budget (audit_context_tokens: ${input.maxTokens})`;
  const unread: Unread[] = [
    ...input.prompt.partial.map((path) => ({ path, why: `cut short to fit ${budget}` })),
    ...input.prompt.omitted.map((path) => ({ path, why: `left out to fit ${budget}` })),
  ];
  for (const file of input.files) {
    if (file.patch !== null || (await knownWithoutPatch(file, input))) continue;
    unread.push({
      path: file.path,
      why:
        file.additions + file.deletions === 0
          ? "binary, or a change GitHub shows no lines for: GitHub gives no diff"
          : "too large: GitHub gives no diff",
    });
  }
  return { unread, unlisted: Math.max(0, input.changedFiles - input.files.length) };
}

export function readInFull(coverage: Coverage): boolean {
  return coverage.unread.length === 0 && coverage.unlisted === 0;
}

/**
 * A change GitHub shows no lines for whose result is known all the same: a deletion, a new empty
 * file, and a rename that keeps the text as it is on the base.
 */
async function knownWithoutPatch(file: PromptFile, input: CoverageInput): Promise<boolean> {
  if (file.status === "removed") return true;
  if (file.additions + file.deletions !== 0) return false;
  if (file.status === "added") return (await input.readHead(file.path)) === "";
  if (file.status === "renamed" && file.previousPath !== null) {
    const now = await input.readHead(file.path);
    return now !== null && now === (await input.readBase(file.previousPath));
  }
  return false;
}

/** One sentence naming what was not read, for the outcome's summary (the status table shows its start). */
export function coverageSummary(coverage: Coverage, max = 5): string {
  const named = coverage.unread.slice(0, max).map((u) => `${u.path} (${u.why})`);
  const rest = coverage.unread.length - named.length;
  if (rest > 0) named.push(`${rest} more`);
  if (coverage.unlisted > 0) named.push(`${coverage.unlisted} file(s) GitHub did not list`);
  return `Not read in full, so not approved; a person must review: ${named.join(", ")}.`;
}
