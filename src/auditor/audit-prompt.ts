import { countTokens, truncateToTokens } from "../llm/tokens.js";
import type { Phase } from "../plan/schema.js";
import { untrustedBlock, verbatimBlock } from "../policy/untrusted.js";
import { filePriority, Priority } from "./file-priority.js";
import { auditTaskPrompt } from "./prompts/audit-task.js";
import type { Finding } from "./types.js";

/**
 * The audit prompt, kept within `audit_context_tokens` whatever the size of the diff. Diffs go in by
 * priority (see `filePriority`), smaller complete files first within a class; files that do not fit
 * whole share what is left of their class's turn as cut-short diffs; the rest are left out and named
 * in a note. Only when every diff fits whole, full new versions of changed files are added for context.
 */
export interface PromptFile {
  path: string;
  previousPath: string | null;
  status: string;
  additions: number;
  deletions: number;
  patch: string | null;
}

export interface AuditPromptInput {
  system: string;
  phase: Phase;
  pull: { title: string; body: string };
  files: readonly PromptFile[];
  checks: readonly Finding[];
  /** Upper bound on the tokens of system + user message. */
  maxTokens: number;
  /** Reads a changed file's head version; without it no surroundings are added. */
  readHead?: (path: string) => Promise<string | null>;
}

export interface AuditPrompt {
  system: string;
  user: string;
  /** Tokens of the system and user messages together. */
  tokens: number;
  shown: string[];
  partial: string[];
  omitted: string[];
  /** Files GitHub shows no diff for (binary, too large). */
  noPatch: string[];
  surroundings: string[];
}

const SLACK = 64;
const SEPARATOR = 2;
const MIN_PARTIAL = 300;
const MAX_SURROUNDING_READS = 8;

interface Piece {
  file: PromptFile;
  block: string;
  tokens: number;
}

export function phaseText(phase: Phase): string {
  const lines = [`Phase ${phase.phase_id}: ${phase.name}`];
  const traits = [phase.task_category && `category ${phase.task_category}`, phase.complexity && `complexity ${phase.complexity}`].filter(
    Boolean,
  );
  if (traits.length > 0) lines.push(traits.join(", "));
  if (phase.description.trim() !== "") lines.push("", "Description:", phase.description.trim());
  if (phase.acceptance.length > 0) lines.push("", "Acceptance criteria:", ...phase.acceptance.map((a) => `- ${a}`));
  if (phase.scope.length > 0) lines.push("", `Scope (paths the phase is expected to change): ${phase.scope.join(", ")}`);
  return lines.join("\n");
}

function diffBlock(file: PromptFile, patch: string, cut: boolean): string {
  const from = file.previousPath !== null && file.previousPath !== file.path ? ` (renamed from ${file.previousPath})` : "";
  const head = `File: ${file.path}${from} — ${file.status}, +${file.additions} -${file.deletions}`;
  // Verbatim: what the Auditor judges is what would be merged (a sanitiser would delete from a `<!--` on).
  return verbatimBlock("diff", `${head}\n${patch}${cut ? "\n[diff cut short here: the rest of this file's diff is not shown]" : ""}`);
}

function bounded(label: string, text: string, limit: number): string {
  return untrustedBlock(label, truncateToTokens(text, Math.max(50, limit)).text);
}

function notShownNote(
  partial: readonly string[],
  omitted: readonly string[],
  noPatch: readonly string[],
  total: number,
  reserve: number,
): string {
  if (partial.length + omitted.length + noPatch.length === 0) return "";
  const intro =
    partial.length + omitted.length > 0
      ? `Not all of this change fits in the audit's context budget (${total} tokens): ${partial.length} file diff(s) are cut short and ` +
        `${omitted.length} are left out, as listed below. Judge only what you can see, do not assume the rest is correct, and say in your summary that part of the change was not reviewed.`
      : "GitHub shows no diff for the files listed below (binary or too large).";
  const entries = [
    ...partial.map((p) => `cut short: ${p}`),
    ...omitted.map((p) => `left out: ${p}`),
    ...noPatch.map((p) => `no diff from GitHub (binary or too large): ${p}`),
  ];
  const render = (n: number) =>
    `${intro}\n${untrustedBlock("files_not_shown", [...entries.slice(0, n), ...(n < entries.length ? [`… and ${entries.length - n} more`] : [])].join("\n"))}`;
  let n = entries.length;
  while (n > 0 && countTokens(render(n)) > reserve) n = Math.floor(n * 0.8);
  return render(n);
}

export async function buildAuditPrompt(input: AuditPromptInput): Promise<AuditPrompt> {
  const total = input.maxTokens;
  const phase = bounded("phase", phaseText(input.phase), Math.floor(total * 0.15));
  const pullRequest = bounded("pull_request", `Title: ${input.pull.title}\n\n${input.pull.body}`, Math.floor(total * 0.05));
  const checkList = input.checks.map(
    (f) => `- ${f.severity} ${f.category}: ${f.path ?? "(whole change)"}${f.line === null ? "" : ` line ${f.line}`}: ${f.message}`,
  );
  const checks = checkList.length > 0 ? bounded("checks", checkList.join("\n"), Math.floor(total * 0.05)) : "";
  const frame = auditTaskPrompt({ phase, pullRequest, checks, diffs: [], omitted: "", surroundings: [] });
  const noteReserve = Math.min(800, Math.floor(total * 0.1));
  let left = total - countTokens(input.system) - countTokens(frame) - noteReserve - SLACK;

  const flagged = new Set(input.checks.flatMap((f) => (f.path === null ? [] : [f.path])));
  const noPatch = input.files.filter((f) => f.patch === null).map((f) => f.path);
  const classes = new Map<Priority, Piece[]>();
  for (const file of input.files) {
    if (file.patch === null) continue;
    const block = diffBlock(file, file.patch, false);
    const priority = filePriority(file, flagged);
    classes.set(priority, [...(classes.get(priority) ?? []), { file, block, tokens: countTokens(block) }]);
  }

  const diffs: Piece[] = [];
  const partial: string[] = [];
  const omitted: string[] = [];
  for (const priority of [...classes.keys()].sort((a, b) => a - b)) {
    const members = (classes.get(priority) ?? []).sort((a, b) => a.tokens - b.tokens || a.file.path.localeCompare(b.file.path));
    const unfit: Piece[] = [];
    for (const piece of members) {
      if (piece.tokens + SEPARATOR <= left) {
        diffs.push(piece);
        left -= piece.tokens + SEPARATOR;
      } else unfit.push(piece);
    }
    unfit.forEach((piece, i) => {
      const share = Math.floor(left / (unfit.length - i));
      if (share >= MIN_PARTIAL) {
        const overhead = countTokens(diffBlock(piece.file, "", true)) + SEPARATOR + 8;
        const cut = truncateToTokens(piece.file.patch ?? "", share - overhead).text;
        const block = diffBlock(piece.file, cut, true);
        const tokens = countTokens(block);
        if (tokens + SEPARATOR <= left) {
          diffs.push({ file: piece.file, block, tokens });
          partial.push(piece.file.path);
          left -= tokens + SEPARATOR;
          return;
        }
      }
      omitted.push(piece.file.path);
    });
  }

  const surroundings: Piece[] = [];
  if (partial.length === 0 && omitted.length === 0 && input.readHead !== undefined) {
    if (noPatch.length === 0) left += noteReserve;
    const candidates = diffs
      .filter((d) => ["modified", "renamed", "changed"].includes(d.file.status) && filePriority(d.file, flagged) <= Priority.Source)
      .slice(0, MAX_SURROUNDING_READS);
    for (const { file } of candidates) {
      if (left < total * 0.1) break;
      const content = await input.readHead(file.path);
      if (content === null) continue;
      const block = verbatimBlock("file", `File: ${file.path} (new version, in full)\n${content}`);
      const tokens = countTokens(block);
      if (tokens + SEPARATOR > left) continue;
      surroundings.push({ file, block, tokens });
      left -= tokens + SEPARATOR;
    }
  }

  // Tokens of concatenated parts can differ slightly from the sum of the parts: verify, and drop from the end if needed.
  const systemTokens = countTokens(input.system);
  for (;;) {
    const note = notShownNote(partial, omitted, noPatch, total, noteReserve);
    const user = auditTaskPrompt({
      phase,
      pullRequest,
      checks,
      diffs: diffs.map((d) => d.block),
      omitted: note,
      surroundings: surroundings.map((s) => s.block),
    });
    const tokens = systemTokens + countTokens(user);
    if (tokens <= total || (diffs.length === 0 && surroundings.length === 0)) {
      return {
        system: input.system,
        user,
        tokens,
        shown: diffs.filter((d) => !partial.includes(d.file.path)).map((d) => d.file.path),
        partial,
        omitted,
        noPatch,
        surroundings: surroundings.map((s) => s.file.path),
      };
    }
    if (surroundings.pop() === undefined) {
      const dropped = diffs.pop();
      if (dropped !== undefined) {
        const at = partial.indexOf(dropped.file.path);
        if (at >= 0) partial.splice(at, 1);
        omitted.push(dropped.file.path);
      }
    }
  }
}
