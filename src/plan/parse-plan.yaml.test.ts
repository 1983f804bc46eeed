import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan.js";
import type { Plan } from "./schema.js";
import { expectOneProblem } from "../../test/support/plan-problems.js";

const FULL = `We need a plan parser.

\`\`\`yaml
# not the plan: other fences are ignored
tiers: []
\`\`\`

\`\`\`autopack
safety_profile: safety_critical
run_scope: single_tier
token_cap: 2000000
max_phases: 10
max_duration_minutes: 90
tiers:
  - tier_id: T1
    name: Foundation
    description: The base layer.
    phases:
      - phase_id: P1
        name: Add the parser
        description: |
          Parse the issue body.
          Both forms.
        task_category: feature_scaffolding
        complexity: medium
        builder_mode: scaffolding_heavy
        scope: ["src/parser/**", "test/parser/**"]
        acceptance: ["parses X", "rejects Y"]
      - phase_id: P2
        name: Document it
        task_category: docs
        complexity: low
        builder_mode: tweak_light
        scope: docs/**
        acceptance: the README shows both forms
  - tier_id: T2
    name: Hardening
    phases:
      - phase_id: P3
        name: Fuzz the parser
        description: Random input never throws.
        task_category: tests
        complexity: high
        builder_mode: refactor_heavy
        scope:
          - src/parser/**
        acceptance:
          - never throws
\`\`\`
`;

const EXPECTED: Plan = {
  run: { safety_profile: "safety_critical", run_scope: "single_tier", token_cap: 2_000_000, max_phases: 10, max_duration_minutes: 90 },
  tiers: [
    { tier_id: "T1", tier_index: 0, name: "Foundation", description: "The base layer." },
    { tier_id: "T2", tier_index: 1, name: "Hardening", description: "" },
  ],
  phases: [
    {
      phase_id: "P1",
      phase_index: 0,
      tier_id: "T1",
      name: "Add the parser",
      description: "Parse the issue body.\nBoth forms.",
      task_category: "feature_scaffolding",
      complexity: "medium",
      builder_mode: "scaffolding_heavy",
      scope: ["src/parser/**", "test/parser/**"],
      acceptance: ["parses X", "rejects Y"],
    },
    {
      phase_id: "P2",
      phase_index: 1,
      tier_id: "T1",
      name: "Document it",
      description: "",
      task_category: "docs",
      complexity: "low",
      builder_mode: "tweak_light",
      scope: ["docs/**"],
      acceptance: ["the README shows both forms"],
    },
    {
      phase_id: "P3",
      phase_index: 2,
      tier_id: "T2",
      name: "Fuzz the parser",
      description: "Random input never throws.",
      task_category: "tests",
      complexity: "high",
      builder_mode: "refactor_heavy",
      scope: ["src/parser/**"],
      acceptance: ["never throws"],
    },
  ],
};

describe("parsePlan, YAML form", () => {
  it("reads a full plan with every optional field into the exact Plan", () => {
    expect(parsePlan(FULL)).toStrictEqual({ ok: true, form: "yaml", plan: EXPECTED });
  });

  it("fills run defaults and empty lists when only the required fields are given", () => {
    const result = parsePlan("```autopack\ntiers:\n  - {tier_id: T1, name: One, phases: [{phase_id: P1, name: Do it}]}\n```\n");
    expect(result).toStrictEqual({
      ok: true,
      form: "yaml",
      plan: {
        run: { safety_profile: "normal", run_scope: "multi_tier", token_cap: 5_000_000, max_phases: 25, max_duration_minutes: 120 },
        tiers: [{ tier_id: "T1", tier_index: 0, name: "One", description: "" }],
        phases: [{ phase_id: "P1", phase_index: 0, tier_id: "T1", name: "Do it", description: "", scope: [], acceptance: [] }],
      },
    });
  });

  it("finds the block inside a list item and reports lines of the issue body", () => {
    const body = [
      "Steps:", //                      1
      "", //                            2
      "1. Read this plan:", //          3
      "", //                            4
      "   ```autopack", //              5
      "   tiers:", //                   6
      "     - tier_id: T1", //          7
      "       name: One", //            8
      "       phases:", //              9
      "         - phase_id: P1", //     10
      "           name: First", //      11
      "   ```", //                      12
    ].join("\n");
    const result = parsePlan(body);
    expect(result.ok && result.plan.phases.map((p) => p.phase_id)).toEqual(["P1"]);
    expectOneProblem(body.replace("phase_id: P1", "phase_id: P 1"), { line: 10, field: "tiers[0].phases[0].phase_id" }, "`P 1`");
  });

  it("finds a ~~~autopack block with more words in its info string inside a blockquote", () => {
    const body =
      "> ~~~autopack plan v1\n> tiers:\n>   - tier_id: T1\n>     name: One\n>     phases:\n>       - phase_id: P1\n>         nam: First\n> ~~~\n";
    expectOneProblem(body, { line: 7, field: "tiers[0].phases[0].nam" }, "unknown key `nam`", "did you mean `name`?");
  });

  it("keeps numeric-looking ids and names as written, accepts CRLF line ends", () => {
    const body =
      "```autopack\r\ntiers:\r\n  - tier_id: 1.10\r\n    name: 2024\r\n    phases:\r\n      - phase_id: 007\r\n        name: Seven\r\n```\r\n";
    const result = parsePlan(body);
    expect(result.ok && [result.plan.tiers[0]?.tier_id, result.plan.tiers[0]?.name, result.plan.phases[0]?.phase_id]).toEqual([
      "1.10",
      "2024",
      "007",
    ]);
  });

  it("splits a single scope string on commas and spaces and lowercases enum values", () => {
    const result = parsePlan(
      "```autopack\ntiers:\n  - tier_id: T1\n    name: One\n    phases:\n      - phase_id: P1\n        name: First\n        complexity: High\n        scope: 'src/a/**, src/b/** test/**'\n```\n",
    );
    expect(result.ok && result.plan.phases[0]).toMatchObject({ complexity: "high", scope: ["src/a/**", "src/b/**", "test/**"] });
  });

  it("prefers the autopack block over headings elsewhere in the issue", () => {
    const body = `## Tier X1: Ignored\n### Phase Y1: Ignored\n\n${FULL}`;
    const result = parsePlan(body);
    expect(result.ok && result.form).toBe("yaml");
  });
});
