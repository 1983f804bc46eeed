import { describe, expect, it } from "vitest";
import { formatPlanProblems, parsePlan } from "./parse-plan.js";
import { forPlainLine } from "../policy/outbound.js";

describe("formatPlanProblems", () => {
  it("renders each problem with its line and field, then how to fix it", () => {
    const text = formatPlanProblems([
      { message: "no plan found" },
      { line: 12, field: "tiers[0].phases[1].phase_id", message: "must be an id, not `P 1`" },
    ]);
    expect(text.split("\n").slice(0, 4)).toEqual([
      "### Autopack could not read the plan in this issue",
      "",
      "- no plan found",
      "- line 12, `tiers[0].phases[1].phase_id`: must be an id, not `P 1`",
    ]);
    expect(text).toContain("#### How to fix");
    expect(text).toContain("```autopack\ntiers:");
    expect(text).toContain("## Tier T1: Foundation\n### Phase P1: Add the parser");
    expect(text.trimEnd().split("\n").at(-1)).toBe("Then edit this issue to fix the plan, remove the `autopack` label and add it again.");
    expect(formatPlanProblems([], { label: "build-me" })).toContain("remove the `build-me` label");
  });

  it("cannot be used to inject markup, mentions or huge text", () => {
    const body =
      "```autopack\ntiers:\n  - tier_id: T1\n    name: One\n    phases:\n      - phase_id: P1\n        name: First\n" +
      `        "@octocat <img src=x onerror=alert(1)> \`\`\`${"y".repeat(500)}": 1\n\`\`\`\n`;
    const result = parsePlan(body);
    if (result.ok) throw new Error("expected problems");
    const text = formatPlanProblems(result.problems);
    const line = text.split("\n").find((l) => l.startsWith("- line 8")) ?? "";
    expect(line).toContain("unknown key");
    expect(line.length).toBeLessThan(600);
    expect(text).not.toContain("y".repeat(100));
    // The user's key only appears inside code spans fenced by more backticks than it holds.
    expect(line).toMatch(
      /^- line 8, ````tiers\[0\]\.phases\[0\]\.@octocat <img src=x onerror=alert\(1\)> ```y+…````: unknown key ``@octocat/,
    );
    const outsideCode = line.replace(/(`+)(?:(?!\1)[\s\S])*?\1(?!`)/g, "");
    expect(outsideCode).toContain("unknown key");
    expect(outsideCode).not.toMatch(/@octocat|<img/);
  });

  it("escapes markup outside code spans and breaks mentions", () => {
    expect(forPlainLine("hi @team <b>x</b> [link](http://x) *y* `kept <b>`")).toBe(
      "hi @\u200Dteam &lt;b&gt;x&lt;/b&gt; \\[link\\](http://x) \\*y\\* `kept <b>`",
    );
    expect(forPlainLine("an ``unbalanced` tick\nand a new line")).toBe("an \\`\\`unbalanced\\` tick and a new line");
    expect(forPlainLine("x".repeat(1000))).toHaveLength(600);
  });

  it("renders fields with backticks safely", () => {
    const text = formatPlanProblems([{ line: 3, field: "tiers[0].`x`", message: "unknown" }]);
    expect(text).toContain("- line 3, `` tiers[0].`x` ``: unknown");
  });
});
