import { describe, expect, it } from "vitest";
import { applyEdits, countOccurrences, type FileEdit } from "./apply-edits.js";

const files = new Map<string, string | null>([
  ["src/a.ts", "export const a = 1;\nexport const b = 2;\n"],
  ["src/twice.ts", "x();\nx();\n"],
  ["docs/old.md", "# Old\n"],
  ["win.txt", "one\r\ntwo\r\n"],
]);

const update = (path: string, ...pairs: Array<[string, string]>): FileEdit => ({
  path,
  action: "update",
  content: null,
  replacements: pairs.map(([search, replace]) => ({ search, replace })),
});

describe("applyEdits", () => {
  it("creates, updates and deletes", () => {
    const result = applyEdits(files, [
      { path: "src/new.ts", action: "create", content: "new\n", replacements: null },
      update("src/a.ts", ["const b = 2", "const b = 3"]),
      { path: "docs/old.md", action: "delete", content: null, replacements: null },
    ]);
    expect(result).toEqual({
      ok: true,
      changes: new Map([
        ["src/a.ts", "export const a = 1;\nexport const b = 3;\n"],
        ["docs/old.md", null],
        ["src/new.ts", "new\n"],
      ]),
    });
  });

  it("applies replacements in order and composes edits to one path", () => {
    const result = applyEdits(files, [
      update("src/a.ts", ["a = 1", "a = 10"], ["a = 10;", "a = 11;"]),
      { path: "src/a.ts", action: "update", content: "whole\n", replacements: null },
    ]);
    expect(result.ok && result.changes.get("src/a.ts")).toBe("whole\n");
  });

  it("says when a search text is not found, with the path and its first line", () => {
    const result = applyEdits(files, [update("src/a.ts", ["\nconst missing = 0;\nmore", "x"])]);
    expect(result).toEqual({
      ok: false,
      paths: ["src/a.ts"],
      failures: ['edit 1 (update src/a.ts): search text not found; its first line: "const missing = 0;"'],
    });
  });

  it("says when a search text is found more than once", () => {
    const result = applyEdits(files, [update("src/twice.ts", ["x();", "y();"])]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failures[0]).toMatch(/^edit 1 \(update src\/twice\.ts\): search text found 2 times/);
  });

  it("is all or nothing: one failure means no change, and every failure is listed", () => {
    const result = applyEdits(files, [
      { path: "src/new.ts", action: "create", content: "new\n", replacements: null },
      update("src/a.ts", ["nope", "x"]),
      { path: "docs/missing.md", action: "delete", content: null, replacements: null },
      { path: "src/a.ts", action: "create", content: "again\n", replacements: null },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures).toEqual([
      'edit 2 (update src/a.ts): search text not found; its first line: "nope"',
      "edit 3 (delete docs/missing.md): the file does not exist",
      'edit 4 (create src/a.ts): the file already exists; use "update" to change it',
    ]);
    expect(result.paths).toEqual(["src/a.ts", "docs/missing.md"]);
    expect("changes" in result).toBe(false);
  });

  it("refuses updates of missing files and malformed edits", () => {
    const result = applyEdits(files, [
      update("nope.ts", ["a", "b"]),
      { path: "src/a.ts", action: "update", content: "x", replacements: [{ search: "a", replace: "b" }] },
      { path: "src/a.ts", action: "update", content: null, replacements: [] },
      { path: "src/b.ts", action: "create", content: null, replacements: null },
      update("src/a.ts", ["", "b"]),
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failures).toHaveLength(5);
  });

  it("keeps CRLF files in their line endings", () => {
    const byReplacement = applyEdits(files, [update("win.txt", ["one\ntwo", "one\nTWO"])]);
    expect(byReplacement.ok && byReplacement.changes.get("win.txt")).toBe("one\r\nTWO\r\n");
    const whole = applyEdits(files, [{ path: "win.txt", action: "update", content: "a\nb\n", replacements: null }]);
    expect(whole.ok && whole.changes.get("win.txt")).toBe("a\r\nb\r\n");
  });

  it("refuses a whole rewrite of a file the model saw altered", () => {
    const result = applyEdits(files, [{ path: "src/a.ts", action: "update", content: "x\n", replacements: null }], {
      noFullRewrite: new Set(["src/a.ts"]),
    });
    expect(result.ok).toBe(false);
  });

  it("reports no change for edits that change nothing", () => {
    const result = applyEdits(files, [update("src/a.ts", ["a = 1", "a = 1"])]);
    expect(result).toEqual({ ok: true, changes: new Map() });
  });

  it("treats replacement text literally ($ patterns included)", () => {
    const result = applyEdits(files, [update("src/a.ts", ["a = 1", "a = '$&$1'"])]);
    expect(result.ok && result.changes.get("src/a.ts")).toContain("a = '$&$1'");
  });

  it("counts overlapping occurrences", () => {
    expect(countOccurrences("aaa", "aa")).toBe(2);
  });
});
