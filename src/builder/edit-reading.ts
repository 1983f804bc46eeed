/**
 * Reads a model's edit plan as meant. Models fill fields they were told to leave null, or leave out
 * fields they were told to fill with null; an answer whose meaning is clear is taken, and a note says
 * what was set aside. One whose meaning is not clear is a problem, said precisely. Pure: no zod, no I/O.
 *
 * Taken as meant:
 * - a missing `content` or `replacements` is null; an empty `replacements` list is none;
 * - `create` with content and an empty replacements list: the content;
 * - `update` with content and no (or an empty list of) replacements: the whole new text;
 * - `update` with replacements and an empty content: the replacements;
 * - `delete` with content or replacements: a delete;
 * - an action in other letter case or with spaces (`"Update "`): the action.
 * Not clear, so refused: `create` with replacements, or with no content; `update` with both content
 * and replacements, or with neither; an unknown action.
 */

/** Which of the edit shapes an edit was read as. */
export type EditKind = "create" | "replace" | "rewrite" | "delete";

export interface ReadingProblem {
  /** Where in the plan, as zod paths go: `["edits", 2, "action"]`. */
  path: (string | number)[];
  message: string;
}

export interface PlanReading {
  /** The plan with each edit in its shape's form (or as it came, when it could not be read). */
  value: unknown;
  /** Per edit, the shape it was read as; null when it could not be. */
  kinds: (EditKind | null)[];
  /** What was set aside in answers whose meaning was clear, one line per edit. */
  notes: string[];
  problems: ReadingProblem[];
}

const ACTIONS = ["create", "update", "delete"] as const;
type Action = (typeof ACTIONS)[number];

interface EditReading {
  value: unknown;
  kind: EditKind | null;
  setAside: string[];
  problem: string | null;
  problemAt?: string;
}

export function readEditPlan(raw: unknown): PlanReading {
  const reading: PlanReading = { value: raw, kinds: [], notes: [], problems: [] };
  if (!isRecord(raw) || !Array.isArray(raw.edits)) return reading;
  const edits = raw.edits.map((edit: unknown, index) => {
    const read = readEdit(edit);
    reading.kinds.push(read.kind);
    const label = `edit ${index + 1} (${describe(edit, read)})`;
    if (read.setAside.length > 0) reading.notes.push(`${label}: ${read.setAside.join("; ")}`);
    if (read.problem) {
      reading.problems.push({ path: ["edits", index, ...(read.problemAt ? [read.problemAt] : [])], message: read.problem });
    }
    return read.value;
  });
  reading.value = { ...raw, edits };
  return reading;
}

function readEdit(raw: unknown): EditReading {
  if (!isRecord(raw)) return refuse(raw, "each edit must be an object with path, action, content and replacements");
  const setAside: string[] = [];
  let action: unknown = raw.action;
  if (typeof action === "string") {
    const plain = action.trim().toLowerCase();
    if (plain !== action && isAction(plain)) setAside.push(`read the action ${JSON.stringify(action)} as "${plain}"`);
    action = plain;
  }
  if (!isAction(action)) return { ...refuse(raw, `"action" must be "create", "update" or "delete"`), problemAt: "action" };

  const content = raw.content ?? null;
  const given = raw.replacements ?? null;
  const emptyList = Array.isArray(given) && given.length === 0;
  const replacements = emptyList ? null : given;
  const edit = (kind: EditKind, fields: { content: unknown; replacements: unknown }): EditReading => ({
    value: { ...raw, action, ...fields },
    kind,
    setAside,
    problem: null,
  });

  switch (action) {
    case "create":
      if (replacements !== null) {
        return refuse(
          raw,
          `a "create" gives the new file's full text in "content", with "replacements" null; this one has replacements` +
            (content === null ? " and no content" : " as well as content"),
        );
      }
      if (content === null) return refuse(raw, `a "create" needs "content": the new file's full text`);
      if (emptyList) setAside.push(`took "content" and set aside the empty "replacements" list`);
      return edit("create", { content, replacements: null });
    case "update":
      if (replacements !== null) {
        if (content !== null && content !== "") {
          return refuse(raw, `an "update" gives either "replacements" or "content" (the whole new text), not both; this one has both`);
        }
        if (content === "") setAside.push(`took "replacements" and set aside the empty "content"`);
        return edit("replace", { content: null, replacements });
      }
      if (content === null) {
        return refuse(
          raw,
          `an "update" needs "replacements" (search/replace pairs) or "content" (the whole new text of a small file); this one has neither`,
        );
      }
      if (emptyList) setAside.push(`took "content" as the whole new text and set aside the empty "replacements" list`);
      return edit("rewrite", { content, replacements: null });
    case "delete":
      if (content !== null) setAside.push(`set aside the "content" given with a delete`);
      if (replacements !== null) setAside.push(`set aside the "replacements" given with a delete`);
      return edit("delete", { content: null, replacements: null });
  }
}

function refuse(value: unknown, problem: string): EditReading {
  return { value, kind: null, setAside: [], problem };
}

function describe(raw: unknown, read: EditReading): string {
  if (!isRecord(raw)) return "not an object";
  const action = isRecord(read.value) && isAction(read.value.action) ? read.value.action : JSON.stringify(raw.action ?? null);
  const path = typeof raw.path === "string" ? raw.path : JSON.stringify(raw.path ?? null);
  return `${action} ${path}`;
}

function isAction(value: unknown): value is Action {
  return typeof value === "string" && (ACTIONS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
