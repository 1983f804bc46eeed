import { checkPath, type PathPolicy } from "../policy/path-policy.js";
import type { FileEdit } from "./apply-edits.js";
import { MAX_FILE_BYTES } from "./file-text.js";
import type { TreeEntry } from "./tree-listing.js";

/**
 * The Builder's write policy, checked before anything is committed: path rules (protected, denied,
 * scope), and only regular text files within the size limit. A refused plan is not retried.
 */

export type PolicyResult = { ok: true; edits: FileEdit[] } | { ok: false; refusals: string[] };

/** Paths of the edits, normalised, or the refusals of the path rules. */
export function checkEditPaths(edits: readonly FileEdit[], policy: PathPolicy): PolicyResult {
  const refusals: string[] = [];
  const normalised: FileEdit[] = [];
  for (const edit of edits) {
    const verdict = checkPath(edit.path, policy);
    if (!verdict.ok) refusals.push(`${edit.action} ${JSON.stringify(edit.path)}: ${verdict.reason}`);
    else normalised.push({ ...edit, path: verdict.path });
  }
  return refusals.length > 0 ? { ok: false, refusals: unique(refusals) } : { ok: true, edits: normalised };
}

/**
 * Refusals for what is at the edited paths (`existing` has the tree entry of every edited path that
 * exists, by normalised path) and for new contents over the size limit.
 */
export function checkEditTargets(edits: readonly FileEdit[], existing: ReadonlyMap<string, TreeEntry>): string[] {
  const refusals: string[] = [];
  for (const edit of edits) {
    const entry = existing.get(edit.path);
    if (entry) {
      if (entry.type === "tree") refusals.push(`${edit.path}: is a directory, not a file`);
      else if (entry.type === "commit") refusals.push(`${edit.path}: is a submodule`);
      else if (entry.mode === "120000") refusals.push(`${edit.path}: is a symbolic link`);
      else if ((entry.size ?? 0) > MAX_FILE_BYTES) refusals.push(`${edit.path}: is larger than ${kb(MAX_FILE_BYTES)}`);
    }
    if (edit.content !== null && byteLength(edit.content) > MAX_FILE_BYTES) {
      refusals.push(`${edit.path}: the new content is larger than ${kb(MAX_FILE_BYTES)}`);
    }
  }
  return unique(refusals);
}

/** Refusals for results of the edits that exceed the size limit. */
export function oversizedResults(changes: ReadonlyMap<string, string | null>): string[] {
  return [...changes]
    .filter(([, content]) => content !== null && byteLength(content) > MAX_FILE_BYTES)
    .map(([path]) => `${path}: the edited file would be larger than ${kb(MAX_FILE_BYTES)}`);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1000)} KB`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
