import type { LlmPort, LlmPurpose, TokenBudget } from "../llm/port.js";
import { countTokens } from "../llm/tokens.js";
import type { PathPolicy } from "../policy/path-policy.js";
import { applyEdits, type FileEdit } from "./apply-edits.js";
import { checkEditPaths, checkEditTargets, oversizedResults } from "./edit-policy.js";
import { editPlanSchema, type EditPlan } from "./edit-schema.js";
import { BuildFailure } from "./failure.js";
import { isAlteredInPrompt } from "./file-text.js";
import { callModel, type TokenMeter } from "./llm-call.js";
import { buildRepairPrompt, mergeRepair } from "./repair.js";
import type { TreeEntry } from "./tree-listing.js";

/** The edit step: ask for edits, check them against the policy, apply them; one repair round. */

export interface EditRoundInput {
  llm: LlmPort;
  budget: TokenBudget;
  meter: TokenMeter;
  /** The attempt the edits are for (each request says its step). */
  trace: Omit<LlmPurpose, "step">;
  system: string;
  user: string;
  task: string;
  policy: PathPolicy;
  promptBudget: number;
  answerTokens: number;
  /** Tree entries of the edited paths that exist, by path. */
  resolveTargets(paths: readonly string[]): Promise<Map<string, TreeEntry>>;
  /** Text of a blob, or null when binary. */
  loadText(entry: TreeEntry): Promise<string | null>;
}

export interface EditRoundResult {
  summary: string;
  /** Path -> new content (null: deleted); only real changes. */
  changes: Map<string, string | null>;
  /** Path -> content before the attempt (null: did not exist), for every edited path. */
  before: Map<string, string | null>;
  entries: Map<string, TreeEntry>;
  repaired: boolean;
  /** Edits whose meaning was clear though their fields were not as asked, and what was set aside. */
  takenAsMeant: string[];
}

interface Prepared {
  edits: FileEdit[];
  files: Map<string, string | null>;
  entries: Map<string, TreeEntry>;
}

export async function runEditRound(input: EditRoundInput): Promise<EditRoundResult> {
  const first = await askForEdits(input, "edit", input.user);
  const prepared = await prepare(input, first.plan.edits);
  const applied = applyEdits(prepared.files, prepared.edits, { noFullRewrite: altered(prepared.files) });
  if (applied.ok) return finish(first.plan.summary, applied.changes, prepared, false, first.notes);

  const repairUser = buildRepairPrompt({
    task: input.task,
    edits: prepared.edits,
    failures: applied.failures,
    failedPaths: applied.paths,
    files: prepared.files,
    maxTokens: input.promptBudget - countTokens(input.system),
  });
  const second = await askForEdits(input, "repair", repairUser);
  const repaired = checkEditPaths(second.plan.edits, input.policy);
  if (!repaired.ok) throw refused(repaired.refusals);
  const merged = await prepare(input, mergeRepair(prepared.edits, applied.paths, repaired.edits));
  const reapplied = applyEdits(merged.files, merged.edits, { noFullRewrite: altered(merged.files) });
  if (!reapplied.ok) {
    throw new BuildFailure(
      `the model's edits could not be applied, even after one repair round (nothing was committed):\n${reapplied.failures.map((f) => `- ${f}`).join("\n")}`,
    );
  }
  const notes = [...first.notes, ...second.notes];
  return finish(second.plan.summary.trim() || first.plan.summary, reapplied.changes, merged, true, notes);
}

/** The plan, and what of it was taken as meant (see `readEditPlan`). */
async function askForEdits(input: EditRoundInput, step: "edit" | "repair", user: string): Promise<{ plan: EditPlan; notes: string[] }> {
  let notes: string[] = [];
  const plan = await callModel(input.llm, input.budget, input.meter, {
    step: `${step} step`,
    purpose: { ...input.trace, step },
    system: input.system,
    user,
    schema: editPlanSchema((taken) => {
      notes = taken;
    }),
    schemaName: "autopack_edit_plan",
    maxOutputTokens: input.answerTokens,
    minOutputTokens: Math.min(1_000, input.answerTokens),
  });
  return { plan, notes };
}

/** Policy first (no repair for refusals), then the current contents of every edited path. */
async function prepare(input: EditRoundInput, rawEdits: readonly FileEdit[]): Promise<Prepared> {
  const paths = checkEditPaths(rawEdits, input.policy);
  if (!paths.ok) throw refused(paths.refusals);
  const edits = paths.edits;
  const entries = await input.resolveTargets([...new Set(edits.map((e) => e.path))]);
  const refusals = checkEditTargets(edits, entries);
  const files = new Map<string, string | null>();
  for (const edit of edits) {
    if (files.has(edit.path)) continue;
    const entry = entries.get(edit.path);
    if (!entry || entry.type !== "blob" || refusals.some((r) => r.startsWith(`${edit.path}:`))) {
      files.set(edit.path, null);
      continue;
    }
    const text = await input.loadText(entry);
    if (text === null) refusals.push(`${edit.path}: is a binary file`);
    files.set(edit.path, text);
  }
  if (refusals.length > 0) throw refused(refusals);
  return { edits, files, entries };
}

function finish(
  summary: string,
  changes: Map<string, string | null>,
  prepared: Prepared,
  repaired: boolean,
  takenAsMeant: string[],
): EditRoundResult {
  const oversized = oversizedResults(changes);
  if (oversized.length > 0) throw refused(oversized);
  if (changes.size === 0) throw new BuildFailure("the model produced no change");
  return { summary, changes, before: prepared.files, entries: prepared.entries, repaired, takenAsMeant };
}

function altered(files: ReadonlyMap<string, string | null>): Set<string> {
  return new Set([...files].filter(([, c]) => c !== null && isAlteredInPrompt(c)).map(([p]) => p));
}

function refused(reasons: readonly string[]): BuildFailure {
  return new BuildFailure(
    `refused: the edit plan breaks the write policy (nothing was committed):\n${reasons.map((r) => `- ${r}`).join("\n")}`,
  );
}
