import { describe, expect, it } from "vitest";
import { MAX_BODY_CHARS } from "./parse-plan.js";
import { expectOneProblem, lineOf, problemsOf, yamlBlock, yamlPlanWith } from "../../test/support/plan-problems.js";

const ONE_PHASE = `tiers:
  - tier_id: T1
    name: One
    phases:
      - phase_id: P1
        name: First
`;

describe("parsePlan problems", () => {
  it("says what to write when the issue has no plan", () => {
    expectOneProblem(
      "Please make the app faster.\n\n- and nicer\n",
      {},
      "no plan found",
      "tagged `autopack`",
      "`## Tier T1: Name`",
      "`### Phase P1: Name`",
    );
    expectOneProblem("", {}, "no plan found");
  });

  it("points at a YAML code block that looks like a plan but is not tagged autopack", () => {
    const body = `Intro\n\n\`\`\`yaml\n${ONE_PHASE}\`\`\`\n`;
    expectOneProblem(body, { line: 3 }, "no plan found", "tag it `autopack`");
  });

  it("reports a YAML syntax error on its issue line", () => {
    const body = yamlBlock(ONE_PHASE.replace("        name: First", "       name: First"));
    expectOneProblem(body, { line: lineOf(body, "name: First") }, "YAML syntax error");
  });

  it("reports a tab used as indentation", () => {
    const body = yamlBlock(ONE_PHASE.replace("    phases:", "\tphases:"));
    expectOneProblem(body, { line: lineOf(body, "phases:") }, "indent with spaces");
  });

  it("reports a duplicate phase_id across tiers, naming the first one's line", () => {
    const body = yamlPlanWith([2, 1]).replace("phase_id: P3", "phase_id: P1");
    const p = expectOneProblem(
      body,
      { line: lineOf(body, "phase_id: P1", 2), field: "tiers[1].phases[0].phase_id" },
      "`P1` is already used",
    );
    expect(p.message).toContain(`line ${lineOf(body, "phase_id: P1")}`);
  });

  it("reports a duplicate tier_id, ignoring case", () => {
    const body = yamlPlanWith([1, 1]).replace("tier_id: T2", "tier_id: t1");
    expectOneProblem(body, { line: lineOf(body, "tier_id: t1"), field: "tiers[1].tier_id" }, "`t1` is already used by the tier", "unique");
  });

  it("reports a tier with no phases, in both forms", () => {
    const yaml = yamlBlock("tiers:\n  - tier_id: T1\n    name: One\n    phases: []\n");
    expectOneProblem(yaml, { line: lineOf(yaml, "phases: []"), field: "tiers[0].phases" }, "tier `T1` needs at least one phase");
    const md = "## Tier T1: One\nText.\n## Tier T2: Two\n### Phase P1: First\n";
    expectOneProblem(md, { line: 1, field: "tiers[0].phases" }, "tier `T1` needs at least one phase");
  });

  it("refuses a 26th phase, and more phases than the plan's own max_phases", () => {
    const body = yamlPlanWith([20, 6]);
    expectOneProblem(body, { line: lineOf(body, "phase_id: P26"), field: "tiers[1].phases[5]" }, "26 phases", "at most 25");
    const capped = yamlPlanWith([3], "max_phases: 2");
    expectOneProblem(capped, { line: lineOf(capped, "phase_id: P3"), field: "tiers[0].phases[2]" }, "`max_phases: 2`");
  });

  it.each(["P 1", "../x", "-P1", "P1.lock", "a".repeat(41)])("refuses the phase_id %j", (id) => {
    const body = yamlBlock(ONE_PHASE.replace("phase_id: P1", `phase_id: ${JSON.stringify(id)}`));
    expectOneProblem(body, { line: lineOf(body, "phase_id:"), field: "tiers[0].phases[0].phase_id" }, "letters, digits", "at most 40");
  });

  it("reports an unknown key with the allowed keys and the likely one", () => {
    const body = yamlBlock(ONE_PHASE.replace("        name: First", "        phase_name: First"));
    expectOneProblem(
      body,
      { line: lineOf(body, "phase_name"), field: "tiers[0].phases[0].phase_name" },
      "unknown key `phase_name`",
      "did you mean `name`?",
      "`phase_id`, `name`, `description`",
    );
  });

  it("explains that phases belong inside a tier", () => {
    const body = yamlBlock(`phases: []\n${ONE_PHASE}`);
    expectOneProblem(body, { line: lineOf(body, "phases: []"), field: "phases" }, "phases go inside a tier");
  });

  it("reports a wrong type with the value given", () => {
    const body = yamlBlock(`token_cap: lots\n${ONE_PHASE}`);
    expectOneProblem(body, { line: lineOf(body, "token_cap"), field: "token_cap" }, "must be a whole number greater than 0", "not `lots`");
  });

  it("lists the allowed values of an enum and guesses the intended one", () => {
    const body = yamlBlock(`${ONE_PHASE}        complexity: hgh\n`);
    expectOneProblem(
      body,
      { line: lineOf(body, "hgh"), field: "tiers[0].phases[0].complexity" },
      "`low`, `medium` or `high`",
      "did you mean `high`?",
    );
    const run = yamlBlock(`safety_profile: paranoid\n${ONE_PHASE}`);
    expectOneProblem(run, { line: lineOf(run, "paranoid"), field: "safety_profile" }, "`normal` or `safety_critical`");
  });

  it("reports a phase heading before any tier heading", () => {
    const body = "Intro\n\n### Phase P1: Too early\n\n## Tier T1: One\n### Phase P2: Fine\n";
    expectOneProblem(body, { line: 3 }, "`Phase P1: Too early`", "before any tier heading");
  });

  it("refuses two autopack blocks", () => {
    const body = `${yamlBlock(ONE_PHASE)}\n${yamlBlock(ONE_PHASE, "And again:\n")}`;
    expectOneProblem(body, { line: lineOf(body, "```autopack", 2) }, "found 2 blocks tagged `autopack`", "keep exactly one");
  });

  it("reports a phase without a name, in both forms", () => {
    const yaml = yamlBlock(ONE_PHASE.replace("        name: First\n", "        description: no name\n"));
    expectOneProblem(yaml, { line: lineOf(yaml, "phase_id: P1"), field: "tiers[0].phases[0].name" }, "is missing", "needs a name");
    expectOneProblem("## Tier T1: One\n### Phase P1\n", { line: 2, field: "tiers[0].phases[0].name" }, "is missing");
  });

  it.each(["/src/**", "src/../../etc", "C:/work/**"])("refuses the scope glob %j", (glob) => {
    const body = yamlBlock(`${ONE_PHASE}        scope: [docs/**, ${JSON.stringify(glob)}]\n`);
    expectOneProblem(
      body,
      { line: lineOf(body, "scope:"), field: "tiers[0].phases[0].scope[1]" },
      "relative to the repository root",
      "no `..`",
    );
  });

  it("refuses a scope glob that backtracks for seconds per path as a regular expression, on its line and field, in both forms", () => {
    // Today's picomatch regular expression for this glob takes over a second on each 40-character name.
    const glob = "{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}x";
    const yaml = yamlBlock(`${ONE_PHASE}        scope:\n          - docs/**\n          - "${glob}"\n`);
    expectOneProblem(
      yaml,
      { line: lineOf(yaml, glob), field: "tiers[0].phases[0].scope[1]" },
      "a glob Autopack cannot use",
      "more than 32 globs",
    );
    const md = `## Tier T1: One\n### Phase P1: First\n- scope: docs/**, ${glob}\n`;
    expectOneProblem(md, { line: 3, field: "tiers[0].phases[0].scope[1]" }, "more than 32 globs");
  });

  it.each([
    ["src/", "ends with `/`"],
    ["**.ts", "inside a name"],
    ["src/{a,b", "never closed"],
  ])("says why it cannot use the scope glob %j", (glob, why) => {
    const body = yamlBlock(`${ONE_PHASE}        scope: [${JSON.stringify(glob)}]\n`);
    expectOneProblem(body, { line: lineOf(body, "scope:"), field: "tiers[0].phases[0].scope[0]" }, why);
  });

  it("reports a key written twice in one mapping", () => {
    const body = yamlBlock(`${ONE_PHASE}        name: Again\n`);
    expectOneProblem(body, { line: lineOf(body, "name: Again"), field: "tiers[0].phases[0].name" }, "`name` appears twice");
  });

  it("refuses a name over 200 characters without echoing it", () => {
    const body = yamlBlock(ONE_PHASE.replace("name: First", `name: ${"x".repeat(250)}`));
    const p = expectOneProblem(body, { line: lineOf(body, "xxx"), field: "tiers[0].phases[0].name" }, "250 characters", "at most 200");
    expect(p.message).not.toContain("xxx");
  });

  it("reports an empty block and a block that is not a mapping", () => {
    expectOneProblem("```autopack\n```\n", { line: 1 }, "block is empty");
    expectOneProblem("```autopack\n- T1\n```\n", { line: 2 }, "YAML mapping with a `tiers` list", "not a list");
  });

  it("reports all problems, sorted by line", () => {
    const body = yamlBlock(`token_cap: -5
tiers:
  - tier_id: T1
    name: One
    phases:
      - phase_id: P1
        name: First
        builder_mode: fast
      - phase_id: P1
        title: Second
`);
    expect(problemsOf(body).map((p) => [p.line, p.field])).toEqual([
      [lineOf(body, "token_cap"), "token_cap"],
      [lineOf(body, "builder_mode"), "tiers[0].phases[0].builder_mode"],
      [lineOf(body, "phase_id: P1", 2), "tiers[0].phases[1].phase_id"],
      [lineOf(body, "title"), "tiers[0].phases[1].title"],
    ]);
  });

  it("keeps at most 20 problems and counts the rest", () => {
    const body = yamlPlanWith([30]).replace(/phase_id: P\d+/g, "phase_id: P 1");
    const problems = problemsOf(body);
    expect(problems).toHaveLength(20);
    expect(problems[19]).toEqual({ message: expect.stringContaining("more problems are not shown") });
  });

  it("refuses a body longer than GitHub allows and absurdly nested quotes", () => {
    expectOneProblem("x".repeat(MAX_BODY_CHARS + 1), {}, "characters long");
    expectOneProblem(`Intro\n${"> ".repeat(40)}deep\n`, { line: 2 }, "levels deep");
  });
});
