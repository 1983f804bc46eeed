import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan.js";
import type { PlanParseResult } from "./schema.js";

function expectWellFormed(result: PlanParseResult): void {
  if (result.ok) {
    expect(result.plan.phases.length).toBeGreaterThan(0);
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  expect(result.problems.length).toBeLessThanOrEqual(20);
  for (const p of result.problems) {
    expect(typeof p.message).toBe("string");
    if (p.line !== undefined) expect(Number.isInteger(p.line) && p.line > 0).toBe(true);
  }
  const lines = result.problems.map((p) => p.line ?? 0);
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
}

/** Fragments that steer random bodies into the interesting parts of both readers. */
const fragment = fc.constantFrom(
  "## Tier T1: One\n",
  "### Phase P1: First\n",
  "### Phase\n",
  "## Tier\n",
  "# Notes\n",
  "- scope: /a, b/**\n",
  "- acceptance:\n  - x\n",
  "- complexity: \n",
  "```autopack\n",
  "```\n",
  "~~~autopack\n",
  "tiers:\n",
  "  - tier_id: T1\n",
  "    phases:\n",
  "      - phase_id: P1\n",
  "        name: x\n",
  "token_cap: 0\n",
  "> ",
  "\t",
  "&a [*a]\n",
  "<!--",
  "\u0000",
  "\uFFFF",
  "\r",
);

describe("parsePlan never throws", () => {
  it.each([
    ["empty", ""],
    ["whitespace", " \n\t\n"],
    ["only headings", "# A\n## B\n### C\n#### D\n"],
    ["only tier headings", "## Tier\n## Tier T1\n## Tier: x\n"],
    ["binary-ish", String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65_536))],
    ["unterminated block", "```autopack\ntiers:\n  - tier_id: T1\n"],
    [
      "YAML alias bomb",
      "```autopack\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\ntiers: [*c, *c, *c, *c, *c, *c, *c, *c]\n```\n",
    ],
    ["deep YAML", `\`\`\`autopack\ntiers: ${"[".repeat(5000)}\n\`\`\`\n`],
    ["nested lists", Array.from({ length: 100 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")],
    ["1 MB body", "## Tier T1: One\n### Phase P1: First\n".repeat(30_000)],
    ["not a string", null as unknown as string],
  ])("%s", (_, body) => {
    expectWellFormed(parsePlan(body));
  });

  const phase = "## Tier T1: One\n### Phase P1: First\n";
  it.each([
    ["spaces in a field bullet", `${phase}- scope: a${" ".repeat(60_000)}b\n`],
    ["spaces before a colon", `${phase}- a${" ".repeat(60_000)}x\n`],
    ["quotes around a glob", `${phase}- scope: ${"'".repeat(60_000)}x\n`],
    ["blank lines in a code block", `\`\`\`\n${"\n".repeat(60_000)}x\n\`\`\`\n`],
    ["spaces in a heading", `## Tier T1${" ".repeat(60_000)}x\n### Phase P1: y\n`],
    ["a long YAML key", `\`\`\`autopack\ntiers: []\n"${"k".repeat(60_000)}": 1\n\`\`\`\n`],
  ])("quickly on hostile input: %s", (_, body) => {
    const started = Date.now();
    expectWellFormed(parsePlan(body));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("on random text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (body) => expectWellFormed(parsePlan(body))),
      { numRuns: 300 },
    );
  });

  it("on random mixes of plan fragments", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ maxLength: 12 })), { maxLength: 40 }), (parts) =>
        expectWellFormed(parsePlan(parts.join(""))),
      ),
      { numRuns: 500 },
    );
  });
});
