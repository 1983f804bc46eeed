import { describe, expect, it } from "vitest";
import { checkOutput } from "./check-output.js";
import { diffLineMap } from "./diff-lines.js";
import { makeFinding } from "./finding-key.js";
import { placeFindings } from "./placement.js";
import type { Finding } from "./types.js";

const f = (severity: Finding["severity"], message: string) =>
  makeFinding({ path: "a.ts", line: 1, severity, category: "bug", message, suggestion: null, source: "model" });
const placement = (findings: Finding[]) =>
  placeFindings(findings, { maxFindings: 20, minInlineSeverity: "minor", diff: diffLineMap([]), earlier: new Map(), previousFindings: [] });
const base = { confidence: "high" as const, summary: "Looks fine.", verdictReasons: [], failure: null };

describe("checkOutput", () => {
  it("succeeds for approve", () => {
    expect(checkOutput({ ...base, recommendation: "approve", placement: placement([]) })).toEqual({
      conclusion: "success",
      title: "Approved",
      summary: "**Verdict:** approve (confidence high)\n\nLooks fine.",
      text: "",
    });
  });

  it("fails for revise with counts in the title and the findings in the text", () => {
    const out = checkOutput({
      ...base,
      recommendation: "revise",
      placement: placement([f("major", "a"), f("major", "b"), f("minor", "c")]),
    });
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("Changes needed: 2 major, 1 minor");
    expect(out.text).toContain("- **minor** · bug — `a.ts` line 1: c");
  });

  it("fails for escalate and gives the reason when the model gave no verdict", () => {
    const out = checkOutput({
      ...base,
      recommendation: "escalate",
      confidence: "low",
      summary: null,
      failure: "the model server was unavailable",
      placement: placement([]),
    });
    expect(out).toMatchObject({ conclusion: "failure", title: "Escalated to a person" });
    expect(out.summary).toContain("The auditor model gave no verdict: the model server was unavailable.");
  });
});
