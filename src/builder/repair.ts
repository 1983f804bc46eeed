import { countTokens, truncateToTokens } from "../llm/tokens.js";
import type { FileEdit } from "./apply-edits.js";
import { isAlteredInPrompt } from "./file-text.js";
import { fileSection } from "./prompts/files.js";
import { repairUserPrompt } from "./prompts/repair.js";

/** The one repair round after edits that could not be applied. */

export function describeEdits(edits: readonly FileEdit[]): string[] {
  return edits.map((e, i) => {
    const n = e.replacements?.length ?? 0;
    const how = e.action === "delete" ? "" : e.content !== null ? " (full content)" : ` (${n} replacement${n === 1 ? "" : "s"})`;
    return `${i + 1}. ${e.action} ${e.path}${how}`;
  });
}

export interface RepairPromptInput {
  task: string;
  edits: readonly FileEdit[];
  failures: readonly string[];
  failedPaths: readonly string[];
  /** Current contents by path (null: the file does not exist). */
  files: ReadonlyMap<string, string | null>;
  /** Tokens for the user prompt. */
  maxTokens: number;
}

/** The follow-up prompt, within `maxTokens`: failures, then as many of the concerned files as fit. */
export function buildRepairPrompt(input: RepairPromptInput): string {
  const failuresText = truncateToTokens(input.failures.join("\n"), Math.floor(input.maxTokens * 0.15)).text;
  const failures = failuresText.split("\n");
  const previousEdits = describeEdits(input.edits).slice(0, 100);
  const base = { task: input.task, previousEdits, failures, failedPaths: input.failedPaths };
  const sections: string[] = [];
  const notShown: string[] = [];
  let used = countTokens(repairUserPrompt({ ...base, fileSections: [], notShown: input.failedPaths }));
  for (const path of input.failedPaths) {
    const content = input.files.get(path) ?? null;
    if (content === null) continue;
    const section = fileSection(path, content, isAlteredInPrompt(content));
    const tokens = countTokens(section) + 2;
    if (used + tokens > input.maxTokens) {
      notShown.push(path);
      continue;
    }
    used += tokens;
    sections.push(section);
  }
  return repairUserPrompt({ ...base, fileSections: sections, notShown });
}

/**
 * The plan after repair: the repaired edits replace every earlier edit to the paths they or the
 * failures touch; other earlier edits are kept.
 */
export function mergeRepair(original: readonly FileEdit[], failedPaths: readonly string[], repaired: readonly FileEdit[]): FileEdit[] {
  const replaced = new Set([...failedPaths, ...repaired.map((e) => e.path)]);
  return [...original.filter((e) => !replaced.has(e.path)), ...repaired];
}
