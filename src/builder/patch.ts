import { formatPatch, structuredPatch, type StructuredPatch } from "diff";

/**
 * The unified git diff of one attempt (old vs new contents), valid `git apply` input: per file a
 * `diff --git a/x b/x` header, `new file mode` / `deleted file mode` for created and deleted files
 * with `/dev/null` on the missing side, then the hunks.
 */

export interface FileChange {
  path: string;
  /** Content before the attempt; null when the file is created. */
  before: string | null;
  /** Content after the attempt; null when the file is deleted. */
  after: string | null;
  /** Git file mode of the existing file (`100644`, `100755`); created files get `100644`. */
  mode?: string;
}

export type ChangeKind = "added" | "modified" | "deleted";

export interface AttemptPatch {
  patch: string;
  files: Array<{ path: string; kind: ChangeKind; added: number; removed: number }>;
  filesChanged: string[];
  linesAdded: number;
  linesRemoved: number;
}

export function changeKind(change: Pick<FileChange, "before" | "after">): ChangeKind {
  if (change.before === null) return "added";
  if (change.after === null) return "deleted";
  return "modified";
}

export function buildPatch(changes: readonly FileChange[]): AttemptPatch {
  const sorted = [...changes].filter((c) => c.before !== c.after).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: StructuredPatch[] = [];
  const files: AttemptPatch["files"] = [];
  let linesAdded = 0;
  let linesRemoved = 0;

  for (const change of sorted) {
    const kind = changeKind(change);
    const structured = structuredPatch(
      kind === "added" ? "/dev/null" : `a/${change.path}`,
      kind === "deleted" ? "/dev/null" : `b/${change.path}`,
      change.before ?? "",
      change.after ?? "",
      undefined,
      undefined,
      { context: 3 },
    );
    const mode = change.mode ?? "100644";
    const gitPatch: StructuredPatch = {
      ...structured,
      isGit: true,
      ...(kind === "added" ? { isCreate: true, newMode: "100644" } : {}),
      ...(kind === "deleted" ? { isDelete: true, oldMode: mode } : {}),
    };
    let added = 0;
    let removed = 0;
    for (const hunk of gitPatch.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith("+")) added += 1;
        else if (line.startsWith("-")) removed += 1;
      }
    }
    parts.push(gitPatch);
    files.push({ path: change.path, kind, added, removed });
    linesAdded += added;
    linesRemoved += removed;
  }

  return {
    // One file after another, no blank line between them (what `git diff` prints).
    patch: parts.map((p) => formatPatch(p)).join(""),
    files,
    filesChanged: files.map((f) => f.path),
    linesAdded,
    linesRemoved,
  };
}
