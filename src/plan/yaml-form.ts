import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLError } from "yaml";
import { formatPath, type FormReading, type Locate, type PathSeg } from "./draft.js";
import { code } from "./problem-text.js";
import type { PlanProblem } from "./schema.js";

/** YAML errors reported at most (the first ones). */
const MAX_ERRORS = 20;

/** Fields read as text even when YAML would read a number (`phase_id: 1.10` stays "1.10"). */
const TEXT_FIELDS = new Set(["tier_id", "phase_id", "name", "description", "task_category", "scope", "acceptance"]);

/**
 * Reads the YAML inside the `autopack` block. `firstLine` is the issue-body line of the block's
 * first line, so every problem points at a line of the issue, not of the block.
 */
export function readYamlBlock(source: string, firstLine: number): FormReading {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lastOffset = Math.max(0, source.trimEnd().length - 1);
  const lineAt = (offset: number) => firstLine - 1 + lineCounter.linePos(Math.min(offset, lastOffset)).line;
  const syntax = doc.errors.filter((e) => e.code !== "DUPLICATE_KEY");
  if (syntax.length > 0) return { problems: syntax.slice(0, MAX_ERRORS).map((e) => syntaxError(e, lineAt)) };
  const problems = doc.errors.length > 0 ? duplicateKeys(doc, lineAt) : [];
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    problems.push({ line: firstLine - 1, message: "the `autopack` block is empty; put the plan's YAML inside it, starting with `tiers:`" });
    return { problems };
  }
  keepTextFieldsAsText(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    problems.push({
      line: firstLine,
      message: "the YAML could not be read (too many or circular `*alias` references); write the values out",
    });
    return { problems };
  }
  const locate: Locate = (path) => locateIn(doc, path, lineAt) ?? firstLine;
  return { draft: { form: "yaml", data, locate }, problems };
}

function syntaxError(error: YAMLError, lineAt: (offset: number) => number): PlanProblem {
  const line = lineAt(error.pos[0]);
  if (error.code === "TAB_AS_INDENT") return { line, message: "YAML syntax error: a tab is used for indentation; indent with spaces" };
  if (error.code === "MULTIPLE_DOCS")
    return { line, message: "the block holds more than one YAML document (a `---` line); keep a single document" };
  if (/call stack/i.test(error.message)) return { line, message: "the YAML is nested too deeply to read" };
  const first = error.message.split("\n")[0] ?? "";
  return { line, message: `YAML syntax error: ${first}; check the indentation and that each \`key: value\` has a space after the colon` };
}

/** Keys written twice in one mapping (the YAML library flags them, but not always at the key itself). */
function duplicateKeys(doc: Document, lineAt: (offset: number) => number): PlanProblem[] {
  const out: PlanProblem[] = [];
  visit(doc, {
    Map(_, map, ancestors) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          out.push({
            line: lineAt(pair.key.range?.[0] ?? 0),
            field: formatPath([...pathOf([...ancestors, map]), key]),
            message: `the key ${code(key, 40)} appears twice in the same mapping; keep one (a new tier or phase starts with \`- \`)`,
          });
        }
        seen.add(key);
      }
      return out.length >= MAX_ERRORS ? visit.BREAK : undefined;
    },
  });
  return out;
}

/** The issue-body line of the deepest node on `path` (for a key, the line of the key). */
function locateIn(doc: Document, path: readonly PathSeg[], lineAt: (offset: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let line = isNodeWithRange(node) ? lineAt(node.range[0]) : undefined;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (typeof seg === "string" && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      if (isNodeWithRange(pair.key)) line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (typeof seg === "number" && isSeq(node)) {
      const item: unknown = node.items[seg];
      if (!isNodeWithRange(item)) break;
      line = lineAt(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}

function isNodeWithRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { range?: unknown }).range);
}

function pathOf(ancestors: readonly unknown[]): PathSeg[] {
  const path: PathSeg[] = [];
  ancestors.forEach((node, i) => {
    const child = ancestors[i + 1];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as never));
  });
  return path;
}

function keepTextFieldsAsText(doc: Document): void {
  visit(doc, {
    Scalar(_, scalar, ancestors) {
      if (typeof scalar.value !== "number" || scalar.source === undefined) return;
      const parent = ancestors[ancestors.length - 1];
      const inList = isSeq(parent);
      const owner = inList ? ancestors[ancestors.length - 2] : parent;
      if (!isPair(owner) || !isScalar(owner.key)) return;
      if (!inList && owner.value !== scalar) return; // the scalar is a key, not a value
      if (TEXT_FIELDS.has(String(owner.key.value))) scalar.value = scalar.source;
    },
  });
}
