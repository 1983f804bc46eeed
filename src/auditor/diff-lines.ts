import parseDiff from "parse-diff";

/**
 * Which lines of a PR file a review comment may sit on. GitHub accepts an inline comment on the
 * RIGHT side only on a line the file's patch shows there: an added line or a context line.
 */
export interface PatchLines {
  /** Right-side (head) line numbers present in the patch: added and context lines. */
  right: ReadonlySet<number>;
  /** Head text of each right-side line, without the diff prefix. */
  text: ReadonlyMap<number, string>;
  /** Added lines only, in patch order. */
  added: readonly { line: number; text: string }[];
  /** The first added line, else the first context line, else null (deleted-only or no patch). */
  anchor: number | null;
}

const EMPTY: PatchLines = { right: new Set(), text: new Map(), added: [], anchor: null };

/**
 * Reads the `patch` of one entry of `GET /pulls/{n}/files` (hunks only, no file header). A missing
 * patch (binary file, or too large for GitHub to show) has no commentable line.
 */
export function patchLines(patch: string | null | undefined): PatchLines {
  if (patch === null || patch === undefined || patch.trim() === "") return EMPTY;
  const right = new Set<number>();
  const text = new Map<number, string>();
  const added: { line: number; text: string }[] = [];
  for (const file of parseDiff(patch)) {
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        // "\ No newline at end of file" is repeated by the parser as a copy of the previous change.
        if (change.content.startsWith("\\")) continue;
        const body = change.content.slice(1);
        if (change.type === "add") {
          right.add(change.ln);
          text.set(change.ln, body);
          added.push({ line: change.ln, text: body });
        } else if (change.type === "normal") {
          right.add(change.ln2);
          text.set(change.ln2, body);
        }
      }
    }
  }
  const firstContext = [...right].sort((a, b) => a - b)[0];
  const anchor = added[0]?.line ?? firstContext ?? null;
  return { right, text, added, anchor };
}

/** The commentable lines of every file of a PR, by head path. */
export type DiffLineMap = ReadonlyMap<string, PatchLines>;

export function diffLineMap(files: readonly { path: string; patch: string | null }[]): DiffLineMap {
  return new Map(files.map((f) => [f.path, patchLines(f.patch)]));
}

/** True when GitHub would accept an inline comment at (`path`, `line`, side RIGHT). */
export function isOnDiff(map: DiffLineMap, path: string | null, line: number | null): boolean {
  if (path === null || line === null) return false;
  return map.get(path)?.right.has(line) ?? false;
}
