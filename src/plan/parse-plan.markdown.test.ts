import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan.js";
import type { Plan } from "./schema.js";
import { expectOneProblem } from "../../test/support/plan-problems.js";

const BODY = `# Plan parser

Some context that is not part of any tier.

## Tier T1: Foundation
The base layer, with **Markdown** kept as written.

### Phase P1: Add the \`parser\`
Parse the issue body.

- scope: \`src/parser/**\`, test/parser/**
- acceptance: parses X
- acceptance:
  - rejects Y
  - reports \`line\` numbers
- keep this bullet in the description
- category: feature_scaffolding
- complexity: Medium

More text after the bullets.

#### Details stay in the description

Even under a level-4 heading.

## Notes
Ignored: this heading ends the phase above.

### phase P2 — Document it
- **Scope:** docs/**
- task_category: docs

## TIER T2 - Hardening

### Phase P3: Fuzz the parser
- builder_mode: refactor_heavy
- acceptance criteria: never throws
`;

const EXPECTED: Plan = {
  run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 5_000_000, max_phases: 25, max_duration_minutes: 120 },
  tiers: [
    { tier_id: "T1", tier_index: 0, name: "Foundation", description: "The base layer, with **Markdown** kept as written." },
    { tier_id: "T2", tier_index: 1, name: "Hardening", description: "" },
  ],
  phases: [
    {
      phase_id: "P1",
      phase_index: 0,
      tier_id: "T1",
      name: "Add the parser",
      description:
        "Parse the issue body.\n\n- keep this bullet in the description\n\nMore text after the bullets.\n\n" +
        "#### Details stay in the description\n\nEven under a level-4 heading.",
      task_category: "feature_scaffolding",
      complexity: "medium",
      scope: ["src/parser/**", "test/parser/**"],
      acceptance: ["parses X", "rejects Y", "reports `line` numbers"],
    },
    {
      phase_id: "P2",
      phase_index: 1,
      tier_id: "T1",
      name: "Document it",
      description: "",
      task_category: "docs",
      scope: ["docs/**"],
      acceptance: [],
    },
    {
      phase_id: "P3",
      phase_index: 2,
      tier_id: "T2",
      name: "Fuzz the parser",
      description: "",
      builder_mode: "refactor_heavy",
      scope: [],
      acceptance: ["never throws"],
    },
  ],
};

describe("parsePlan, Markdown form", () => {
  it("reads tier and phase headings, descriptions and field bullets into the exact Plan", () => {
    expect(parsePlan(BODY)).toStrictEqual({ ok: true, form: "markdown", plan: EXPECTED });
  });

  it("reports a field bullet problem on the bullet's line", () => {
    const body = BODY.replace("- complexity: Medium", "- complexity: extreme");
    const line = body.split("\n").findIndex((l) => l.includes("extreme")) + 1;
    expectOneProblem(body, { line, field: "tiers[0].phases[0].complexity" }, "one of `low`, `medium` or `high`", "`extreme`");
  });

  it("reports an absolute scope glob on its bullet", () => {
    const body = "## Tier T1: One\n### Phase P1: First\n- scope: src/**, /etc/passwd\n";
    expectOneProblem(body, { line: 3, field: "tiers[0].phases[0].scope[1]" }, "relative to the repository root", "`/etc/passwd`");
  });

  it("keeps a comma inside `{…}` with its scope glob", () => {
    const parsed = parsePlan("## Tier T1: One\n### Phase P1: First\n- scope: src/{a,b}/**, docs/**\n");
    expect(parsed.ok && parsed.plan.phases[0]!.scope).toEqual(["src/{a,b}/**", "docs/**"]);
  });

  it("reports a single-valued field given twice", () => {
    const body = "## Tier T1: One\n### Phase P1: First\n- complexity: low\n- complexity: high\n";
    expectOneProblem(body, { line: 4, field: "tiers[0].phases[0].complexity" }, "set twice", "line 3");
  });

  it("reads an unreadable id as written and says what an id must be", () => {
    const body = "## Tier T1: One\n### Phase P 1: First\n";
    expectOneProblem(body, { line: 2, field: "tiers[0].phases[0].phase_id" }, "letters, digits", "`P 1`");
  });
});
