import { anyGlob } from "../policy/glob.js";
import { fitsInTokens, truncateToTokens } from "../llm/tokens.js";

/** One entry of a recursive git tree, as the Git Database API lists it. */
export interface TreeEntry {
  path: string;
  /** `100644`, `100755`, `120000` (symlink), `040000` (tree), `160000` (submodule). */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Bytes, for blobs. */
  size: number | null;
}

export interface RepoTree {
  entries: readonly TreeEntry[];
  /** GitHub cut the recursive listing short (very large repositories). */
  truncated: boolean;
}

export interface ListingOptions {
  /** Globs of the phase scope: files matching them are listed even where their directory is summarised. */
  scope: readonly string[];
  maxTokens: number;
  truncated: boolean;
}

/** Files (blobs and submodules) of a tree, directories left out. */
export function listedFiles(entries: readonly TreeEntry[]): string[] {
  return entries
    .filter((e) => e.type !== "tree")
    .map((e) => e.path)
    .sort();
}

/**
 * A listing of the repository's files that fits in `maxTokens`, whatever the repository's size. All
 * paths when they fit; else files down to a depth with deeper directories summarised as
 * `dir/ (N files)` (the deepest depth that fits), files in the phase scope always shown while they fit;
 * as a last resort the top level, cut.
 */
export function renderTreeListing(entries: readonly TreeEntry[], options: ListingOptions): string {
  const files = listedFiles(entries);
  const incomplete = options.truncated ? " (GitHub's listing of this repository is incomplete: it is very large)" : "";
  const header = (note: string) => `${files.length} files${incomplete}${note}.\n`;

  const full = header("") + files.join("\n");
  if (fitsInTokens(full, options.maxTokens)) return full;

  const inScope = options.scope.length > 0 ? anyGlob(options.scope) : () => false;
  const maxDepth = files.reduce((m, f) => Math.max(m, f.split("/").length), 1);
  for (const keepScope of [true, false]) {
    for (let depth = maxDepth - 1; depth >= 1; depth -= 1) {
      const lines = summariseAtDepth(files, depth, keepScope ? inScope : () => false);
      const note = `; files more than ${depth} levels deep are counted per directory as "dir/ (N files)"`;
      const text = header(note) + lines.join("\n");
      if (fitsInTokens(text, options.maxTokens)) return text;
    }
  }
  const top = summariseAtDepth(files, 1, () => false);
  const head = header(`; top level only, cut to fit`);
  const cut = truncateToTokens(top.join("\n"), Math.max(0, options.maxTokens - 40));
  const shown = cut.text.length > 0 ? cut.text.split("\n").length : 0;
  return `${head}${cut.text}\n… ${top.length - shown} more top-level entries not shown`;
}

/** Files at depth <= `depth` (plus those `keep` selects) and `dir/ (N files)` lines for deeper ones. */
export function summariseAtDepth(files: readonly string[], depth: number, keep: (path: string) => boolean): string[] {
  const dirCounts = new Map<string, number>();
  const lines: string[] = [];
  for (const file of files) {
    const parts = file.split("/");
    if (parts.length <= depth) {
      lines.push(file);
      continue;
    }
    const dir = `${parts.slice(0, depth).join("/")}/`;
    dirCounts.set(dir, (dirCounts.get(dir) ?? 0) + 1);
    if (keep(file)) lines.push(file);
  }
  for (const [dir, count] of dirCounts) lines.push(`${dir} (${count} file${count === 1 ? "" : "s"})`);
  return lines.sort();
}
