import { describe, expect, it } from "vitest";
import { parsePlan } from "../plan/parse-plan.js";
import { renderPlanBlock } from "./render.js";
import type { ProposedPlan } from "./schema.js";

const phase = (over: Partial<ProposedPlan["tiers"][number]["phases"][number]>) => ({
  phase_id: "P1",
  name: "Add the parser",
  description: null,
  task_category: null,
  complexity: null,
  scope: [],
  acceptance: [],
  ...over,
});

describe("the proposed plan in the YAML form", () => {
  it("reads back as the same plan, whatever its text holds", () => {
    const fields = {
      name: "- [x] 'quoted' \"and\" {braced}",
      description: "Multi\nline\n\n  indented",
      task_category: "feature_scaffolding",
      complexity: "high" as const,
      scope: ["src/**/*.ts", "{a,b}/*.md"],
      acceptance: ["yes: it works", "no `/etc` writes"],
    };
    const plan: ProposedPlan = {
      summary: "s",
      tiers: [
        {
          tier_id: "T1",
          name: "Parser: first # not a comment",
          description: "line one\n```\nnot the end of the block\n```",
          phases: [phase(fields)],
        },
      ],
    };
    const block = renderPlanBlock(plan);
    const parsed = parsePlan(`Some words.\n\n${block}\n\nMore words.`);
    expect(parsed.ok && parsed.plan.phases[0]).toMatchObject(fields);
    expect(parsed.ok && parsed.plan.tiers[0]).toMatchObject({
      name: "Parser: first # not a comment",
      description: "line one\n```\nnot the end of the block\n```",
    });
  });

  it("leaves out what the model left empty, and keeps what the parser refuses for the parser to say", () => {
    const block = renderPlanBlock({
      summary: "",
      tiers: [{ tier_id: "T1", name: "One", description: null, phases: [phase({ scope: ["../x"] })] }],
    });
    expect(block).not.toContain("description");
    const parsed = parsePlan(block);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]?.field).toBe("tiers[0].phases[0].scope[0]");
  });
});
