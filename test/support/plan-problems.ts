import { expect } from "vitest";
import { parsePlan } from "../../src/plan/parse-plan.js";
import type { PlanProblem } from "../../src/plan/schema.js";

/** Parses `body`, expects it to fail, and returns the problems. */
export function problemsOf(body: string): PlanProblem[] {
  const result = parsePlan(body);
  if (result.ok) throw new Error(`expected problems, got a plan: ${JSON.stringify(result.plan)}`);
  return result.problems;
}

/** Expects exactly one problem at `line` on `field` whose message contains every `parts`. */
export function expectOneProblem(body: string, where: { line?: number; field?: string }, ...parts: string[]): PlanProblem {
  const problems = problemsOf(body);
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
  const [problem] = problems as [PlanProblem];
  expect({ line: problem.line, field: problem.field }).toEqual({ line: where.line, field: where.field });
  for (const part of parts) expect(problem.message).toContain(part);
  return problem;
}

/** A fenced `autopack` block around `yaml`, after `before` lines of text. */
export function yamlBlock(yaml: string, before = "Please build this.\n"): string {
  return `${before}\n\`\`\`autopack\n${yaml.replace(/^\n/, "")}\`\`\`\n`;
}

/** The 1-based line of `body` holding the `nth` (1-based) occurrence of `text`. */
export function lineOf(body: string, text: string, nth = 1): number {
  let seen = 0;
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i]?.includes(text) && ++seen === nth) return i + 1;
  throw new Error(`${JSON.stringify(text)} not found ${nth} time(s)`);
}

/** A YAML plan with one tier per entry of `tiers`, each with that many phases named P<n>. */
export function yamlPlanWith(tiers: number[], head = ""): string {
  let n = 0;
  const lines = [head, "tiers:"];
  tiers.forEach((count, t) => {
    lines.push(`  - tier_id: T${t + 1}`, `    name: Tier ${t + 1}`, "    phases:");
    for (let i = 0; i < count; i++) lines.push(`      - phase_id: P${++n}`, `        name: Phase ${n}`);
  });
  return yamlBlock(`${lines.filter((l) => l !== "").join("\n")}\n`);
}
