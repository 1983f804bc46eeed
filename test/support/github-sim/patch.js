import { structuredPatch } from "diff";
/** The hunks of `git diff` between two texts: 3 lines of context, git's hunk headers. */
export function unifiedHunks(oldText, newText) {
  const result = structuredPatch("a", "b", oldText, newText, "", "", { context: 3 });
  const oldLines = splitLines(oldText);
  return result.hunks.map((h) => {
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    const range = (start, count) => (count === 1 ? `${start}` : `${start},${count}`);
    const func = funcLine(oldLines, h.oldStart - 1);
    const header = `@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@${func ? ` ${func}` : ""}`;
    return { header, oldStart, oldLines: h.oldLines, newStart, newLines: h.newLines, lines: h.lines };
  });
}
/**
 * git's default hunk-header context: the nearest line before the hunk (in the old file) that
 * starts with a letter, `_` or `$`, cut to 80 bytes and stripped of trailing white space.
 */
function funcLine(lines, firstIndex) {
  for (let i = firstIndex - 1; i >= 0; i--) {
    const line = lines[i];
    if (/^[A-Za-z_$]/.test(line)) {
      return Buffer.from(line, "utf8").subarray(0, 80).toString("utf8").replace(/\s+$/, "");
    }
  }
  return undefined;
}
function splitLines(text) {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
function isBinary(data) {
  return data.subarray(0, 8000).includes(0);
}
/** What changed from one tree to another, file by file in path order, with exact renames. */
export function diffTrees(git, baseTree, headTree) {
  const before = git.flatten(baseTree);
  const after = git.flatten(headTree);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const added = [...after.keys()].filter((p) => !before.has(p));
  const renames = new Map();
  for (const path of added) {
    const sha = after.get(path).sha;
    const from = removed.find((old) => before.get(old).sha === sha && ![...renames.values()].includes(old));
    if (from) renames.set(path, from);
  }
  const renamedFrom = new Set(renames.values());
  const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => !renamedFrom.has(p)).sort();
  const files = [];
  for (const path of paths) {
    const oldEntry = before.get(path);
    const newEntry = after.get(path);
    const renamedFromPath = renames.get(path);
    if (oldEntry && newEntry && oldEntry.sha === newEntry.sha) continue;
    if (renamedFromPath) {
      files.push({
        filename: path,
        previousFilename: renamedFromPath,
        status: "renamed",
        sha: newEntry.sha,
        oldSha: newEntry.sha,
        mode: newEntry.mode,
        binary: false,
        additions: 0,
        deletions: 0,
        changes: 0,
        hunks: [],
      });
      continue;
    }
    const oldData = oldEntry ? (git.blob(oldEntry.sha) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const newData = newEntry ? (git.blob(newEntry.sha) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const status = !oldEntry ? "added" : !newEntry ? "removed" : "modified";
    const sha = (newEntry ?? oldEntry).sha;
    const common = { filename: path, status, sha, oldSha: oldEntry?.sha, mode: (newEntry ?? oldEntry).mode };
    if (isBinary(oldData) || isBinary(newData)) {
      files.push({ ...common, binary: true, additions: 0, deletions: 0, changes: 0, hunks: [] });
      continue;
    }
    const hunks = unifiedHunks(oldData.toString("utf8"), newData.toString("utf8"));
    let additions = 0;
    let deletions = 0;
    for (const h of hunks) {
      for (const line of h.lines) {
        if (line.startsWith("+")) additions++;
        else if (line.startsWith("-")) deletions++;
      }
    }
    const patch = hunks.length === 0 ? undefined : hunks.map((h) => [h.header, ...h.lines].join("\n")).join("\n");
    files.push({
      ...common,
      binary: false,
      additions,
      deletions,
      changes: additions + deletions,
      hunks,
      ...(patch === undefined ? {} : { patch }),
    });
  }
  return files;
}
/** The whole diff as `git diff` prints it (and GitHub's `application/vnd.github.diff` media type). */
export function diffText(files) {
  const short = (sha) => (sha ?? "0".repeat(40)).slice(0, 7);
  const out = [];
  for (const f of files) {
    const from = f.previousFilename ?? f.filename;
    out.push(`diff --git a/${from} b/${f.filename}`);
    if (f.status === "renamed") {
      out.push("similarity index 100%", `rename from ${from}`, `rename to ${f.filename}`);
      continue;
    }
    if (f.status === "added") out.push(`new file mode ${f.mode}`, `index ${short()}..${short(f.sha)}`);
    else if (f.status === "removed") out.push(`deleted file mode ${f.mode}`, `index ${short(f.sha)}..${short()}`);
    else out.push(`index ${short(f.oldSha)}..${short(f.sha)} ${f.mode}`);
    if (f.binary) {
      out.push(
        `Binary files ${f.status === "added" ? "/dev/null" : `a/${from}`} and ${f.status === "removed" ? "/dev/null" : `b/${f.filename}`} differ`,
      );
      continue;
    }
    if (f.patch === undefined) continue;
    out.push(
      f.status === "added" ? "--- /dev/null" : `--- a/${from}`,
      f.status === "removed" ? "+++ /dev/null" : `+++ b/${f.filename}`,
      f.patch,
    );
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
/** Every line a review comment may point at, per side, of one file's diff. */
export function commentableLines(file) {
  const out = [];
  let position = 0;
  file.hunks.forEach((hunk, index) => {
    if (index > 0) position++;
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const text of hunk.lines) {
      position++;
      if (text.startsWith("\\")) continue;
      if (text.startsWith("-")) out.push({ side: "LEFT", line: oldLine++, hunk: index, position });
      else if (text.startsWith("+")) out.push({ side: "RIGHT", line: newLine++, hunk: index, position });
      else {
        out.push({ side: "LEFT", line: oldLine++, hunk: index, position });
        out.push({ side: "RIGHT", line: newLine++, hunk: index, position });
      }
    }
  });
  return out;
}
/** The `diff_hunk` GitHub stores with a review comment: the hunk up to the commented line. */
export function diffHunkUpTo(file, position) {
  let seen = 0;
  for (const [index, hunk] of file.hunks.entries()) {
    if (index > 0) seen++;
    if (position <= seen + hunk.lines.length) return [hunk.header, ...hunk.lines.slice(0, position - seen)].join("\n");
    seen += hunk.lines.length;
  }
  return "";
}
//# sourceMappingURL=patch.js.map
