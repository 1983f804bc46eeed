import type { List, ListItem } from "mdast";
import { code } from "./problem-text.js";
import { splitGlobs } from "./plan-input.js";
import type { PlanProblem } from "./schema.js";

/** The fields a phase's bullets can set in the Markdown form, and what a bullet may call them. */
const FIELD_NAMES = new Map<string, string>([
  ["scope", "scope"],
  ["acceptance", "acceptance"],
  ["acceptance criteria", "acceptance"],
  ["category", "task_category"],
  ["task category", "task_category"],
  ["complexity", "complexity"],
  ["builder mode", "builder_mode"],
]);

/** `scope:`, `**Scope:**`, `__task category__:` … (bounded, so long bullets cannot make it slow). */
const FIELD_KEY = /^[ \t]{0,3}(?:\*\*|__)?[ \t]{0,3}([a-z][a-z _]{0,24}?)[ \t]{0,3}(?:\*\*|__)?[ \t]{0,3}:[ \t]{0,3}(?:\*\*|__)?/i;

/** A phase's fields as read from its bullets, with the line each came from. */
export interface PhaseFields {
  values: Record<string, string | string[]>;
  /** Field path below the phase (`scope`, `acceptance[1]`) -> issue-body line. */
  lines: Map<string, number>;
  /** [start, end) offsets of the bullets that held fields, to leave out of the description. */
  cuts: Array<[number, number]>;
}

export function emptyFields(): PhaseFields {
  return { values: {}, lines: new Map(), cuts: [] };
}

/** Takes `- scope: …`, `- acceptance: …`, `- category: …`, `- complexity: …` bullets out of a list. */
export function readFieldBullets(list: List, body: string, fields: PhaseFields, problems: PlanProblem[], phasePath: string): void {
  for (const item of list.children) {
    const head = item.children[0];
    if (head?.type !== "paragraph") continue;
    const text = sourceOf(head, body);
    const match = FIELD_KEY.exec(text);
    const field = FIELD_NAMES.get((match?.[1] ?? "").toLowerCase().replace(/_/g, " "));
    if (!match || !field) continue;
    const line = item.position?.start.line ?? 0;
    const inline = text.slice(match[0].length).replace(/\s+/g, " ").trim();
    const nested = nestedEntries(item, body);
    if (field === "scope" || field === "acceptance") {
      const given = [{ text: inline, line }, ...nested];
      const entries =
        field === "scope"
          ? given.flatMap((g) => splitGlobs(g.text).map((text) => ({ text, line: g.line })))
          : given.filter((g) => g.text !== "");
      const list = (fields.values[field] ??= []) as string[];
      if (!fields.lines.has(field)) fields.lines.set(field, line);
      for (const entry of entries) {
        fields.lines.set(`${field}[${list.length}]`, entry.line);
        list.push(entry.text);
      }
    } else {
      const first = fields.lines.get(field);
      if (first !== undefined) {
        problems.push({
          line,
          field: `${phasePath}.${field}`,
          message: `is set twice in this phase (first on line ${first}); keep one ${code(`- ${field}:`)} bullet`,
        });
      } else {
        fields.values[field] = inline.replace(/^`+|`+$/g, "").trim();
        fields.lines.set(field, line);
      }
    }
    fields.cuts.push(cutOf(item, body));
  }
}

function nestedEntries(item: ListItem, body: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  for (const child of item.children.slice(1)) {
    if (child.type !== "list") continue;
    for (const sub of child.children) {
      const head = sub.children[0];
      if (head?.type === "paragraph")
        out.push({ text: sourceOf(head, body).replace(/\s+/g, " ").trim(), line: sub.position?.start.line ?? 0 });
    }
  }
  return out;
}

function sourceOf(node: { position?: { start: { offset?: number }; end: { offset?: number } } }, body: string): string {
  return body.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
}

function cutOf(item: ListItem, body: string): [number, number] {
  const start = item.position?.start.offset ?? 0;
  let end = item.position?.end.offset ?? start;
  if (body[end] === "\n") end += 1;
  return [start, end];
}

/** `body[start, end)` without the cut ranges, blank-line runs collapsed, trimmed. */
export function sliceWithout(body: string, start: number, end: number, cuts: ReadonlyArray<[number, number]>): string {
  let out = "";
  let at = start;
  for (const [from, to] of [...cuts].sort((a, b) => a[0] - b[0])) {
    if (from < at || from > end) continue;
    out += body.slice(at, from);
    at = to;
  }
  out += body.slice(at, end);
  return out.replace(/\n[ \t]*(?:\n[ \t]*)+\n/g, "\n\n").trim();
}
