/**
 * Applies a model's edit plan to file contents, all or nothing. Pure: no I/O.
 *
 * Rules:
 * - `create` fails when the file already exists (the model is told to use `update`): overwriting a file
 *   the model may never have seen would silently lose its content.
 * - `update` takes either `content` (the whole new file) or `replacements`; each replacement's `search`
 *   must occur exactly once in the file as it is at that point (earlier replacements applied).
 * - `delete` requires the file to exist.
 * - Edits apply in order, so two edits to one path compose.
 * - Any failure means no change at all: the result then lists every failure found.
 */

export type EditAction = "create" | "update" | "delete";

export interface Replacement {
  search: string;
  replace: string;
}

export interface FileEdit {
  path: string;
  action: EditAction;
  content: string | null;
  replacements: Replacement[] | null;
}

/** Path -> content; `null` (or no entry) means the file does not exist. */
export type FileContents = ReadonlyMap<string, string | null>;

export type ApplyResult = { ok: true; changes: Map<string, string | null> } | { ok: false; failures: string[]; paths: string[] };

export interface ApplyOptions {
  /**
   * Files the model saw altered (comments stripped, secrets redacted): a full rewrite would lose what it
   * could not see, so only replacements are accepted for them.
   */
  noFullRewrite?: ReadonlySet<string>;
}

type Step = { ok: true; content: string | null } | { ok: false; failure: string };

export function applyEdits(files: FileContents, edits: readonly FileEdit[], options: ApplyOptions = {}): ApplyResult {
  const state = new Map<string, string | null>(files);
  const failures: string[] = [];
  const failedPaths = new Set<string>();

  edits.forEach((edit, index) => {
    const label = `edit ${index + 1} (${edit.action} ${edit.path})`;
    const step = applyOne(state.get(edit.path) ?? null, edit, options);
    if (step.ok) {
      state.set(edit.path, step.content);
    } else {
      failures.push(`${label}: ${step.failure}`);
      failedPaths.add(edit.path);
    }
  });

  if (failures.length > 0) return { ok: false, failures, paths: [...failedPaths] };

  const changes = new Map<string, string | null>();
  for (const [path, content] of state) {
    if (content !== (files.get(path) ?? null)) changes.set(path, content);
  }
  return { ok: true, changes };
}

function applyOne(current: string | null, edit: FileEdit, options: ApplyOptions): Step {
  const replacements = edit.replacements ?? [];
  switch (edit.action) {
    case "create":
      if (current !== null) return fail(`the file already exists; use "update" to change it`);
      if (edit.content === null) return fail(`"content" is required to create a file`);
      if (replacements.length > 0) return fail(`"replacements" cannot be used to create a file; give "content" only`);
      return { ok: true, content: edit.content };
    case "delete":
      if (current === null) return fail("the file does not exist");
      return { ok: true, content: null };
    case "update": {
      if (current === null) return fail(`the file does not exist; use "create" to add it`);
      if (edit.content !== null && replacements.length > 0) return fail(`give either "content" or "replacements", not both`);
      if (edit.content !== null) {
        if (options.noFullRewrite?.has(edit.path)) {
          return fail(
            `parts of this file were hidden from you (comments or secrets), so rewriting it whole would lose them; use "replacements"`,
          );
        }
        return { ok: true, content: keepLineEndings(current, edit.content) };
      }
      if (replacements.length === 0) return fail(`an update needs "content" or at least one replacement`);
      return applyReplacements(current, replacements);
    }
    default:
      return fail(`unknown action "${String((edit as { action: unknown }).action)}"`);
  }
}

function applyReplacements(original: string, replacements: readonly Replacement[]): Step {
  let text = original;
  for (const [i, r] of replacements.entries()) {
    const which = replacements.length > 1 ? `replacement ${i + 1}: ` : "";
    if (r.search.length === 0) return fail(`${which}the search text is empty`);
    let search = r.search;
    let replace = r.replace;
    let count = countOccurrences(text, search);
    // The model sees files with "\n" line endings; match a CRLF file in its own line endings.
    if (count === 0 && text.includes("\r\n") && !search.includes("\r")) {
      search = toCrlf(search);
      replace = toCrlf(replace);
      count = countOccurrences(text, search);
    }
    if (count !== 1) {
      const where = count === 0 ? "not found" : `found ${count} times (it must match exactly once; include more surrounding lines)`;
      return fail(`${which}search text ${where}; its first line: ${JSON.stringify(firstLine(r.search))}`);
    }
    const at = text.indexOf(search);
    text = text.slice(0, at) + replace + text.slice(at + search.length);
  }
  return { ok: true, content: text };
}

/** Occurrences of `needle` in `haystack`, overlapping ones included (they make a match ambiguous too). */
export function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) count += 1;
  return count;
}

function keepLineEndings(current: string, next: string): string {
  return current.includes("\r\n") && !next.includes("\r") ? toCrlf(next) : next;
}

function toCrlf(text: string): string {
  return text.replace(/\n/g, "\r\n");
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim().length > 0) ?? text;
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function fail(failure: string): Step {
  return { ok: false, failure };
}
