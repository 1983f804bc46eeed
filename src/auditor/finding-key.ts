import { createHash } from "node:crypto";
import type { Finding } from "./types.js";

/**
 * Normalises a finding's message so that the same problem, reworded only by where it now sits,
 * keeps its key: case, spacing, trailing punctuation and line references ("line 42", "L42-L50",
 * "lines 3 to 7") do not count.
 */
export function normaliseMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/\b(?:on |at )?(?:lines?|l)\s*#?\d+(?:\s*(?:-|–|to|and)\s*l?\d+)?\b/g, " ")
    .replace(/:\d+(?::\d+)?\b/g, " ")
    .replace(/[`"'’“”]/g, "")
    .replace(/\s+/g, " ")
    .replace(/[\s.,;:!]+$/g, "")
    .trim();
}

/** A stable key for one problem: a hash of its path, category and normalised message, never its line. */
export function findingKey(path: string | null, category: string, message: string): string {
  const material = [path ?? "", category.trim().toLowerCase(), normaliseMessage(message)].join("\n");
  return createHash("sha256").update(material).digest("hex").slice(0, 16);
}

/** Builds a finding with its key. */
export function makeFinding(fields: Omit<Finding, "key">): Finding {
  return { key: findingKey(fields.path, fields.category, fields.message), ...fields };
}

const severityRank = (f: Finding): number => (f.severity === "major" ? 0 : 1);
const sourceRank = (f: Finding): number => (f.source === "check" ? 0 : 1);

/** Majors first, deterministic checks before the model's, then by path and line. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a) - severityRank(b) ||
    sourceRank(a) - sourceRank(b) ||
    (a.path ?? "\uffff").localeCompare(b.path ?? "\uffff") ||
    (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER)
  );
}

/** Sorted, one finding per key (the first in sort order wins: the stricter one). */
export function mergeFindings(...lists: readonly (readonly Finding[])[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of lists.flat().sort(compareFindings)) {
    if (seen.has(f.key)) continue;
    seen.add(f.key);
    out.push(f);
  }
  return out;
}
