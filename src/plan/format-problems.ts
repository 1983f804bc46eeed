import { forPlainLine } from "../policy/outbound.js";
import { code } from "./problem-text.js";
import type { PlanProblem } from "./schema.js";

const MAX_SHOWN = 20;

const HOW_TO_FIX = `#### How to fix

Write the plan in one of two forms. A fenced code block tagged \`autopack\`, holding YAML:

\`\`\`\`markdown
\`\`\`autopack
tiers:
  - tier_id: T1
    name: Foundation
    phases:
      - phase_id: P1
        name: Add the parser
        scope: ["src/parser/**"]
        acceptance: ["parses a plan"]
\`\`\`
\`\`\`\`

Or Markdown headings, a \`## Tier\` heading for each tier and a \`### Phase\` heading for each phase:

\`\`\`markdown
## Tier T1: Foundation
### Phase P1: Add the parser
What to build, in plain words.
- scope: src/parser/**
- acceptance: parses a plan
\`\`\`

Ids use letters, digits, \`.\`, \`_\` or \`-\` (at most 40 characters) and must be unique; a plan has at most 25 phases.`;

/** The Markdown of the comment Autopack posts on an issue whose plan it could not read. */
export function formatPlanProblems(problems: PlanProblem[], options: { label?: string } = {}): string {
  const shown = problems.slice(0, MAX_SHOWN).map(renderProblem);
  if (problems.length > MAX_SHOWN) shown.push(`- and ${problems.length - MAX_SHOWN} more`);
  if (shown.length === 0) shown.push("- the plan is not valid");
  return [
    "### Autopack could not read the plan in this issue",
    "",
    ...shown,
    "",
    HOW_TO_FIX,
    "",
    `Then edit this issue to fix the plan, remove the ${code(options.label ?? "autopack", 50)} label and add it again.`,
    "",
  ].join("\n");
}

function renderProblem(problem: PlanProblem): string {
  const where: string[] = [];
  if (Number.isSafeInteger(problem.line) && (problem.line ?? 0) > 0) where.push(`line ${problem.line}`);
  if (typeof problem.field === "string" && problem.field !== "") where.push(code(problem.field, 120));
  const message = forPlainLine(String(problem.message ?? ""));
  return where.length > 0 ? `- ${where.join(", ")}: ${message}` : `- ${message}`;
}
