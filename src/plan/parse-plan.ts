import type { Code, Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { readMarkdownPlan } from "./markdown-form.js";
import type { PlanParseResult, PlanProblem } from "./schema.js";
import { validateDraft } from "./validate-plan.js";
import { readYamlBlock } from "./yaml-form.js";

export { formatPlanProblems } from "./format-problems.js";

/** What GitHub allows in an issue body; longer text is refused before parsing. */
export const MAX_BODY_CHARS = 65_536;
/** Quotes and lists nested deeper than this on one line are refused: the Markdown parser is slow on them. */
export const MAX_NESTING = 32;
/** How many problems a result carries at most (the first ones by line). */
export const MAX_PROBLEMS = 20;

/**
 * Reads the plan in an issue body: the fenced block tagged `autopack` (YAML) when there is one,
 * otherwise the `## Tier` / `### Phase` headings. Never throws: every failure is a list of
 * problems, each with the 1-based line of the issue body and the field path where known.
 */
export function parsePlan(issueBody: string): PlanParseResult {
  try {
    const result = readPlan(typeof issueBody === "string" ? issueBody.replace(/\r\n?/g, "\n") : "");
    return result.ok ? result : { ok: false, problems: tidy(result.problems) };
  } catch {
    return { ok: false, problems: [{ message: "Autopack failed while reading the plan; simplify the issue body and try again" }] };
  }
}

function readPlan(body: string): PlanParseResult {
  if (body.length > MAX_BODY_CHARS) {
    return fail({ message: `the issue body is ${body.length} characters long; a plan can be at most ${MAX_BODY_CHARS}` });
  }
  const deepLine = deeplyNestedLine(body);
  if (deepLine !== undefined) {
    return fail({
      line: deepLine,
      message: `this line nests quotes or lists more than ${MAX_NESTING} levels deep; Autopack does not read such a body`,
    });
  }
  const root = fromMarkdown(body);
  const blocks = codeBlocks(root).filter((c) => c.lang?.toLowerCase() === "autopack");
  const [block] = blocks;
  if (blocks.length > 1) {
    const where = blocks.map((b) => b.position?.start.line ?? 0).join(", ");
    return fail(
      ...blocks.slice(1).map((b) => ({
        line: b.position?.start.line ?? 1,
        message: `found ${blocks.length} blocks tagged \`autopack\` (on lines ${where}); keep exactly one plan block`,
      })),
    );
  }
  const reading = block ? readYamlBlock(block.value, (block.position?.start.line ?? 0) + 1) : readMarkdownPlan(root, body);
  if (!reading) return fail(noPlan(root));
  if (!reading.draft) return fail(...reading.problems);
  const result = validateDraft(reading.draft);
  if (result.ok && reading.problems.length === 0) return result;
  return fail(...reading.problems, ...(result.ok ? [] : result.problems));
}

/** The first line whose `>` and list markers open more than MAX_NESTING containers (thematic breaks aside). */
function deeplyNestedLine(body: string): number | undefined {
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.length > MAX_NESTING && containerMarkers(line) > MAX_NESTING && !/^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/.test(line))
      return i + 1;
  }
  return undefined;
}

function containerMarkers(line: string): number {
  let count = 0;
  let at = 0;
  const gap = (j: number) => j >= line.length || line[j] === " " || line[j] === "\t";
  while (at < line.length) {
    while (line[at] === " " || line[at] === "\t") at++;
    const c = line[at] ?? "";
    let next = at;
    if (c === ">") next = at + 1;
    else if ("-*+".includes(c) && c !== "" && gap(at + 1)) next = at + 1;
    else if (/[0-9]/.test(c)) {
      const digits = /^[0-9]{1,9}[.)]/.exec(line.slice(at, at + 10));
      if (digits && gap(at + digits[0].length)) next = at + digits[0].length;
    }
    if (next === at) break;
    count++;
    at = next;
  }
  return count;
}

function noPlan(root: Root): PlanProblem {
  const message =
    "no plan found; add a fenced code block tagged `autopack` holding YAML with a `tiers` list, " +
    "or Markdown headings `## Tier T1: Name` with `### Phase P1: Name` headings below them (examples below)";
  const lookalike = codeBlocks(root).find((c) => /^(ya?ml)?$/i.test(c.lang ?? "") && /^[ \t]*tiers[ \t]*:/m.test(c.value));
  if (!lookalike?.position) return { message };
  return { line: lookalike.position.start.line, message: `${message}; the code block on this line looks like a plan: tag it \`autopack\`` };
}

/** Every code block in the tree, in document order (iterative: deep nesting cannot overflow the stack). */
function codeBlocks(root: Root): Code[] {
  const found: Code[] = [];
  const stack: Nodes[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === "code") found.push(node);
    else if ("children" in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return found;
}

function fail(...problems: PlanProblem[]): PlanParseResult {
  return { ok: false, problems };
}

/** Sorted by line (problems without a line first), repeats dropped, at most MAX_PROBLEMS, the rest counted. */
function tidy(problems: PlanProblem[]): PlanProblem[] {
  const sorted = problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.order - b.order)
    .map(({ problem: p }) => ({
      ...(p.line !== undefined ? { line: p.line } : {}),
      ...(p.field ? { field: p.field } : {}),
      message: p.message,
    }))
    .filter((p, i, all) => i === 0 || JSON.stringify(p) !== JSON.stringify(all[i - 1]));
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const more = sorted.length - (MAX_PROBLEMS - 1);
  return [...sorted.slice(0, MAX_PROBLEMS - 1), { message: `${more} more problems are not shown; fix these first` }];
}
