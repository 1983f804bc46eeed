import { describe, expect, it } from "vitest";
import { diffLineMap } from "./diff-lines.js";
import { makeFinding } from "./finding-key.js";
import { placeFindings, withoutInline, type PlacementOptions } from "./placement.js";
import type { Finding } from "./types.js";

const diff = diffLineMap([{ path: "src/a.ts", patch: "@@ -1,2 +1,3 @@\n one\n+two\n three" }]);

const f = (message: string, over: Partial<Omit<Finding, "key">> = {}): Finding =>
  makeFinding({ path: "src/a.ts", line: 2, severity: "major", category: "bug", message, suggestion: null, source: "model", ...over });

const options = (over: Partial<PlacementOptions> = {}): PlacementOptions => ({
  maxFindings: 20,
  minInlineSeverity: "minor",
  diff,
  earlier: new Map(),
  previousFindings: [],
  ...over,
});

describe("placeFindings", () => {
  it("puts findings on diff lines inline and the rest in the body, with the reason", () => {
    const p = placeFindings(
      [f("on diff"), f("off diff", { line: 40 }), f("no line", { line: null }), f("other file", { path: "src/b.ts" })],
      options(),
    );
    expect(p.inline.map((x) => x.message)).toEqual(["on diff"]);
    expect(p.body.map((x) => [x.finding.message, x.reason])).toEqual([
      ["off diff", "not-on-diff"],
      ["no line", "no-line"],
      ["other file", "not-on-diff"],
    ]);
  });

  it("caps the findings, majors first", () => {
    const findings = [f("minor 1", { severity: "minor" }), f("minor 2", { severity: "minor" }), f("major 1"), f("major 2")];
    const p = placeFindings(findings, options({ maxFindings: 3 }));
    expect(p.shown.map((x) => x.message)).toEqual(["major 1", "major 2", "minor 1"]);
    expect(p.omitted).toBe(1);
  });

  it("lists findings below the minimum inline severity in the body", () => {
    const p = placeFindings([f("small", { severity: "minor" }), f("big")], options({ minInlineSeverity: "major" }));
    expect(p.inline.map((x) => x.message)).toEqual(["big"]);
    expect(p.body).toEqual([{ finding: expect.objectContaining({ message: "small" }), reason: "below-inline-severity" }]);
  });

  it("refers to findings still open from earlier attempts instead of posting them again, and lists resolved ones", () => {
    const repeated = f("still here");
    const fixed = f("was fixed", { path: "src/old.ts" });
    const p = placeFindings(
      [repeated, f("new one")],
      options({
        earlier: new Map([
          [repeated.key, 1],
          [fixed.key, null],
        ]),
        previousFindings: [repeated, fixed],
      }),
    );
    expect(p.inline.map((x) => x.message)).toEqual(["new one"]);
    expect(p.stillOpen).toEqual([{ finding: repeated, since: 1 }]);
    expect(p.resolved).toEqual([fixed]);
  });

  it("moves inline findings to the body when GitHub refuses them", () => {
    const p = withoutInline(placeFindings([f("on diff")], options()));
    expect(p.inline).toEqual([]);
    expect(p.body.map((x) => x.reason)).toEqual(["inline-refused"]);
  });
});
