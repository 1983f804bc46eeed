import { describe, expect, it } from "vitest";
import { diffLineMap, isOnDiff, patchLines } from "./diff-lines.js";

const PATCH = [
  "@@ -1,4 +1,5 @@",
  ' import a from "a";',
  "-const x = 1;",
  "+const x = 2;",
  "+const y = 3;",
  " ",
  " export { x };",
  "@@ -20,3 +21,3 @@ function f() {",
  "   return 1;",
  "-}",
  "+};",
  " // end",
  "\\ No newline at end of file",
].join("\n");

describe("patchLines", () => {
  const lines = patchLines(PATCH);

  it("has added lines on the right side, with their text", () => {
    expect(lines.right.has(2)).toBe(true);
    expect(lines.right.has(3)).toBe(true);
    expect(lines.text.get(3)).toBe("const y = 3;");
    expect(lines.added).toEqual([
      { line: 2, text: "const x = 2;" },
      { line: 3, text: "const y = 3;" },
      { line: 22, text: "};" },
    ]);
  });

  it("has context lines on the right side", () => {
    expect(lines.right.has(1)).toBe(true);
    expect(lines.right.has(4)).toBe(true);
    expect(lines.right.has(5)).toBe(true);
    expect(lines.right.has(21)).toBe(true);
    expect(lines.right.has(23)).toBe(true);
    expect(lines.text.get(23)).toBe("// end");
  });

  it("has no line outside every hunk, and ignores the no-newline marker", () => {
    for (const outside of [0, 6, 10, 20, 24, 100]) expect(lines.right.has(outside)).toBe(false);
    expect(lines.added.some((l) => l.text.includes("No newline"))).toBe(false);
    expect(lines.anchor).toBe(2);
  });

  it("has no right-side line for a deleted-only file", () => {
    const deleted = patchLines("@@ -1,2 +0,0 @@\n-one\n-two");
    expect(deleted.right.size).toBe(0);
    expect(deleted.added).toEqual([]);
    expect(deleted.anchor).toBeNull();
  });

  it("has nothing for a file without a patch (binary or too large)", () => {
    expect(patchLines(null).right.size).toBe(0);
    expect(patchLines(undefined).anchor).toBeNull();
    expect(patchLines("").added).toEqual([]);
  });

  it("anchors a context-only patch on its first context line", () => {
    expect(patchLines("@@ -5,2 +5,1 @@\n keep\n-gone").anchor).toBe(5);
  });
});

describe("diffLineMap / isOnDiff", () => {
  const map = diffLineMap([
    { path: "src/a.ts", patch: PATCH },
    { path: "src/new-name.ts", patch: "@@ -3,2 +3,2 @@\n a\n-b\n+c" },
    { path: "logo.png", patch: null },
    { path: "gone.ts", patch: "@@ -1 +0,0 @@\n-x" },
  ]);

  it("accepts added and context lines of a file in the PR", () => {
    expect(isOnDiff(map, "src/a.ts", 2)).toBe(true);
    expect(isOnDiff(map, "src/a.ts", 21)).toBe(true);
  });

  it("refuses a line outside all hunks, a file not in the PR, no path or no line", () => {
    expect(isOnDiff(map, "src/a.ts", 10)).toBe(false);
    expect(isOnDiff(map, "src/other.ts", 2)).toBe(false);
    expect(isOnDiff(map, null, 2)).toBe(false);
    expect(isOnDiff(map, "src/a.ts", null)).toBe(false);
  });

  it("keys a renamed file by its new path only", () => {
    expect(isOnDiff(map, "src/new-name.ts", 4)).toBe(true);
    expect(isOnDiff(map, "src/old-name.ts", 4)).toBe(false);
  });

  it("refuses every line of a file without a patch or a deleted file", () => {
    expect(isOnDiff(map, "logo.png", 1)).toBe(false);
    expect(isOnDiff(map, "gone.ts", 1)).toBe(false);
  });
});
