import type { PlanProblem } from "./schema.js";

/** One step of a field path: a key of a mapping or an index into a list. */
export type PathSeg = string | number;

/** The 1-based issue-body line of the value at `path`, or of its nearest ancestor that exists. */
export type Locate = (path: readonly PathSeg[]) => number | undefined;

/**
 * What one plan form (the YAML block or the Markdown headings) read from the issue, before
 * validation: plain data in the shape of the YAML form, plus where each part came from.
 */
export interface Draft {
  form: "yaml" | "markdown";
  data: unknown;
  locate: Locate;
}

/** A form reader's answer: the draft (when it found one) and the problems it met while reading. */
export interface FormReading {
  draft?: Draft;
  problems: PlanProblem[];
}

/** `["tiers", 0, "phases", 1, "phase_id"]` -> `tiers[0].phases[1].phase_id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
