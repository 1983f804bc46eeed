import { codeSpan } from "../policy/outbound.js";

/** Helpers that put untrusted text into problem messages safely and briefly. */

/** Control, zero-width and bidirectional-override characters: never echoed back. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** How much of a user's value a message quotes. */
export const MAX_QUOTE = 80;

/** Untrusted text on one line, without invisible characters, at most `max` characters. */
export function clip(text: string, max = MAX_QUOTE): string {
  const line = text.replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Untrusted text as an inline code span, so no markup, link or @mention can escape it. */
export function code(text: string, max = MAX_QUOTE): string {
  return codeSpan(clip(text, max));
}

/** A short, safe description of what the user wrote, for "must be X, not Y". */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") return value.trim() === "" ? "empty text" : code(value);
  if (typeof value === "number" || typeof value === "boolean") return code(String(value));
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

/** `a`, `b` or `c` */
export function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `\`${v}\``);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Common other names people give to a plan's keys. */
const ALIASES = new Map<string, string>([
  ["title", "name"],
  ["summary", "description"],
  ["details", "description"],
  ["desc", "description"],
  ["category", "task_category"],
  ["type", "task_category"],
  ["difficulty", "complexity"],
  ["mode", "builder_mode"],
  ["criteria", "acceptance"],
  ["acceptance_criteria", "acceptance"],
  ["done_when", "acceptance"],
  ["paths", "scope"],
  ["files", "scope"],
  ["globs", "scope"],
  ["safety", "safety_profile"],
  ["budget", "token_cap"],
  ["tokens", "token_cap"],
  ["timeout", "max_duration_minutes"],
]);

/** The allowed key the user probably meant by `key`, if one is close enough. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = key
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const candidates = [k, ALIASES.get(k), k.replace(/^(tier|phase)_/, ""), `phase_${k}`, `tier_${k}`, `task_${k}`];
  for (const c of candidates) if (c !== undefined && allowed.includes(c)) return c;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(2, Math.ceil(k.length / 3)));
  for (const a of allowed) {
    const d = editDistance(k, a);
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 99;
}
