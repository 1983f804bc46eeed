import { describe, expect, it } from "vitest";
import { findingKey, makeFinding, mergeFindings, normaliseMessage } from "./finding-key.js";

describe("findingKey", () => {
  it("does not depend on the line, nor on line references or spacing in the message", () => {
    const before = makeFinding({
      path: "src/a.ts",
      line: 10,
      severity: "major",
      category: "bug",
      message: "Null check missing on line 10.",
      suggestion: null,
      source: "model",
    });
    const after = makeFinding({
      path: "src/a.ts",
      line: 42,
      severity: "major",
      category: "Bug",
      message: "null check  missing on line 42",
      suggestion: null,
      source: "model",
    });
    expect(after.key).toBe(before.key);
    expect(normaliseMessage("See L10-L12: `x` is unused")).toBe(normaliseMessage("see l99 to 101: x is unused"));
  });

  it("differs by path, category and message", () => {
    const base = findingKey("a.ts", "bug", "x is null");
    expect(findingKey("b.ts", "bug", "x is null")).not.toBe(base);
    expect(findingKey("a.ts", "test", "x is null")).not.toBe(base);
    expect(findingKey("a.ts", "bug", "y is null")).not.toBe(base);
    expect(findingKey(null, "bug", "x is null")).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("mergeFindings", () => {
  it("sorts majors and checks first and keeps one finding per key", () => {
    const model = makeFinding({
      path: "a.ts",
      line: 1,
      severity: "minor",
      category: "secret",
      message: "m",
      suggestion: null,
      source: "model",
    });
    const check = { ...model, severity: "major" as const, source: "check" as const };
    const other = makeFinding({
      path: "b.ts",
      line: 1,
      severity: "major",
      category: "bug",
      message: "b",
      suggestion: null,
      source: "model",
    });
    expect(mergeFindings([model, other], [check])).toEqual([check, other]);
  });
});
