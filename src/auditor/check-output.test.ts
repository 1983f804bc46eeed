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
const base = {
  confidence: "high" as const,
  summary: "Looks fine.",
  verdictReasons: [],
  failure: null,
  coverage: { unread: [], unlisted: 0 },
};

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

  it("names what the Auditor could not read in full, and why", () => {
    const out = checkOutput({
      ...base,
      recommendation: "escalate",
      verdictReasons: ["the Auditor could not read 2 changed files in full"],
      placement: placement([]),
      coverage: { unread: [{ path: "logo.png", why: "binary" }], unlisted: 4 },
    });
    expect(out.summary).toContain("Stricter than the model's answer: the Auditor could not read 2 changed files in full.");
    expect(out.text).toContain("### Not reviewed in full");
    expect(out.text).toContain("- `logo.png`: binary");
    expect(out.text).toContain("- 4 more changed files that GitHub did not list (it lists at most 3,000)");
  });
});
