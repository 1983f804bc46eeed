import { anyGlob } from "../policy/glob.js";
import { checkPath, normaliseRepoPath } from "../policy/path-policy.js";
import { countTokens, truncateToTokens } from "../llm/tokens.js";
import type { Phase } from "../plan/schema.js";
import { MAX_REQUESTED_FILES } from "./edit-schema.js";
import { MAX_FILE_BYTES, isAlteredInPrompt } from "./file-text.js";
import { editUserPrompt } from "./prompts/edit.js";
import { fileRequestUserPrompt } from "./prompts/file-request.js";
import { fileSection } from "./prompts/files.js";
import { taskPrompt } from "./prompts/task.js";
import { renderTreeListing, type RepoTree, type TreeEntry } from "./tree-listing.js";

/**
 * Context selection for the edit step: task, a listing of the repository, the phase's scope files
 * and the files the model asks for in a first short step, within a token budget whatever the
 * repository's size. Pure given its callbacks (file loading, the model's choice of files).
 */

export interface ContextInput {
  tree: RepoTree;
  phase: Phase;
  tierName: string | null;
  attempt: number;
  feedback: string | null;
  deniedPaths: readonly string[];
  /** Tokens the edit prompt (system + user) may use; the answer's room is already set aside. */
  promptBudget: number;
  editSystem: string;
  fileRequestSystem: string;
  /** Text of a blob, or null when it is binary. Only called for allowed files within the size limit. */
  loadFile(entry: TreeEntry): Promise<string | null>;
  /** The first model step: which other files to read. */
  chooseFiles(prompt: { system: string; user: string }): Promise<readonly string[]>;
}

export interface SelectedContext {
  system: string;
  user: string;
  promptTokens: number;
  task: string;
  /** Contents shown to the model, by path. */
  files: Map<string, string>;
  /** Shown files the model saw altered (see `isAlteredInPrompt`). */
  altered: Set<string>;
  /** Why files were left out (no content). */
  omitted: string[];
}

/**
 * Most tokens the repository's file listing takes, whatever the budget: past about a hundred files a
 * full listing costs more than it tells, so deeper directories are counted instead (scope files stay
 * listed), and a phase costs about the same on a large repository as on a small one.
 */
export const LISTING_TOKENS = 1_500;

/** Most scope files loaded, whatever the budget (each is a request). */
export const MAX_SCOPE_FILES = 40;

export async function selectContext(input: ContextInput): Promise<SelectedContext> {
  const budget = input.promptBudget;
  const task = fitTask(input, Math.floor(budget * 0.25));
  const listing = renderTreeListing(input.tree.entries, {
    scope: input.phase.scope,
    maxTokens: Math.min(LISTING_TOKENS, Math.floor(budget * 0.2)),
    truncated: input.tree.truncated,
  });
  const byPath = new Map(input.tree.entries.filter((e) => e.type === "blob").map((e) => [e.path, e]));
  const shown: Array<{ path: string; content: string; section: string; tokens: number }> = [];
  const omitted: string[] = [];
  const fixed = countTokens(input.editSystem) + countTokens(editUserPrompt({ task, listing, fileSections: [], omitted: [] }));
  // Room for file sections, minus a margin for the "files not shown" lines.
  const filesBudget = Math.max(0, budget - fixed - 400);
  let used = 0;

  const tryAdd = async (entry: TreeEntry, limit: number): Promise<void> => {
    const refusal = unreadableReason(entry, input.deniedPaths);
    if (refusal !== null) return void omitted.push(refusal);
    // A cheap lower bound before fetching: text is rarely under 1 token per 8 bytes.
    if (used + (entry.size ?? 0) / 8 > limit) return void omitted.push(`${entry.path}: does not fit in the context`);
    const content = await input.loadFile(entry);
    if (content === null) return void omitted.push(`${entry.path}: binary file`);
    const section = fileSection(entry.path, content, isAlteredInPrompt(content));
    const tokens = countTokens(section) + 2;
    if (used + tokens > limit) return void omitted.push(`${entry.path}: does not fit in the context`);
    used += tokens;
    shown.push({ path: entry.path, content, section, tokens });
  };

  // 1. Files of the phase scope, up to 60% of the room so requested files still fit.
  const inScope = input.phase.scope.length > 0 ? anyGlob(input.phase.scope) : null;
  const scopeEntries = inScope ? [...byPath.values()].filter((e) => inScope(e.path)).sort(byPathOrder) : [];
  for (const entry of scopeEntries.slice(0, MAX_SCOPE_FILES)) await tryAdd(entry, Math.floor(filesBudget * 0.6));
  if (scopeEntries.length > MAX_SCOPE_FILES) omitted.push(`${scopeEntries.length - MAX_SCOPE_FILES} more files of the phase scope`);

  // 2. The model's choice of other files.
  const requestUser = fileRequestUserPrompt({ task, listing, provided: shown.map((f) => f.path), maxFiles: MAX_REQUESTED_FILES });
  const requested = await input.chooseFiles({ system: input.fileRequestSystem, user: requestUser });
  const seen = new Set(shown.map((f) => f.path));
  for (const raw of requested.slice(0, MAX_REQUESTED_FILES)) {
    const path = normaliseRepoPath(raw);
    if (path === null || seen.has(path)) continue;
    seen.add(path);
    const entry = byPath.get(path);
    if (!entry) {
      omitted.push(`${path}: not in the repository${input.tree.truncated ? " listing" : ""}`);
      continue;
    }
    await tryAdd(entry, filesBudget);
  }

  // 3. Render, and drop files from the end should the estimate have been short.
  for (;;) {
    const user = editUserPrompt({ task, listing, fileSections: shown.map((f) => f.section), omitted: capped(omitted, 30) });
    const promptTokens = countTokens(input.editSystem) + countTokens(user);
    if (promptTokens <= budget || shown.length === 0) {
      const files = new Map(shown.map((f) => [f.path, f.content]));
      const altered = new Set(shown.filter((f) => isAlteredInPrompt(f.content)).map((f) => f.path));
      return { system: input.editSystem, user, promptTokens, task, files, altered, omitted };
    }
    const dropped = shown.pop();
    if (dropped) omitted.push(`${dropped.path}: does not fit in the context`);
  }
}

/** Why a file may not be shown, or null. Denied files are never loaded. */
function unreadableReason(entry: TreeEntry, deniedPaths: readonly string[]): string | null {
  const verdict = checkPath(entry.path, { deniedPaths, scope: [], scopeStrict: false });
  if (!verdict.ok) return `${entry.path}: not readable (denied path)`;
  if (entry.mode === "120000") return `${entry.path}: symbolic link`;
  if ((entry.size ?? 0) > MAX_FILE_BYTES) return `${entry.path}: larger than ${MAX_FILE_BYTES / 1000} KB`;
  return null;
}

function capped(lines: readonly string[], max: number): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `… and ${lines.length - max} more`];
}

function byPathOrder(a: TreeEntry, b: TreeEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** The task text within `maxTokens`: feedback cut first, then the description, then the criteria. */
export function fitTask(input: Pick<ContextInput, "phase" | "tierName" | "attempt" | "feedback">, maxTokens: number): string {
  const { phase } = input;
  let description = phase.description;
  let feedback = input.feedback;
  let acceptance = [...phase.acceptance];
  const render = () =>
    taskPrompt({
      phaseId: phase.phase_id,
      attempt: input.attempt,
      name: phase.name,
      tierName: input.tierName,
      description,
      acceptance,
      scope: phase.scope.slice(0, 50),
      feedback,
    });
  let text = render();
  if (countTokens(text) <= maxTokens) return text;
  if (feedback !== null) feedback = cut(feedback, Math.floor(maxTokens * 0.4));
  text = render();
  if (countTokens(text) <= maxTokens) return text;
  description = cut(description, Math.floor(maxTokens * 0.25));
  text = render();
  if (countTokens(text) <= maxTokens) return text;
  acceptance = cut(acceptance.join("\n"), Math.floor(maxTokens * 0.15)).split("\n");
  if (feedback !== null) feedback = cut(feedback, Math.floor(maxTokens * 0.1));
  return render();
}

function cut(text: string, maxTokens: number): string {
  const result = truncateToTokens(text, maxTokens);
  return result.truncated ? `${result.text}\n[… cut to fit the context]` : result.text;
}
