import { z } from "zod";
import { globProblem } from "../policy/glob.js";
import type { PathSeg } from "./draft.js";
import { oneOf } from "./problem-text.js";
import { BUILDER_MODES, COMPLEXITIES, MAX_PHASES, PhaseSchema, RUN_SCOPES, SAFETY_PROFILES } from "./schema.js";

/**
 * The plan as a person writes it (the YAML form; the Markdown form is read into the same shape):
 * tiers hold their phases, indexes are implied by order, optional fields may be left out.
 */

export const RUN_KEYS = ["safety_profile", "run_scope", "token_cap", "max_phases", "max_duration_minutes", "tiers"] as const;
export const TIER_KEYS = ["tier_id", "name", "description", "phases"] as const;
export const PHASE_KEYS = [
  "phase_id",
  "name",
  "description",
  "task_category",
  "complexity",
  "builder_mode",
  "scope",
  "acceptance",
] as const;

export function isValidId(value: string): boolean {
  return PhaseSchema.shape.phase_id.safeParse(value).success;
}

/** A scope glob names paths inside the repository: no absolute path, home directory or `..`. */
export function isRelativeGlob(glob: string): boolean {
  return !/^[\\/~]/.test(glob) && !/^[A-Za-z]:/.test(glob) && !glob.split(/[\\/]/).includes("..");
}

/** Globs written on one line, apart by spaces or commas; a comma inside `{…}` belongs to its glob. */
export function splitGlobs(text: string): string[] {
  const globs: string[] = [];
  let current = "";
  let depth = 0;
  for (const c of text) {
    if (c === "{") depth += 1;
    else if (c === "}") depth = Math.max(0, depth - 1);
    if (/\s/.test(c) || (c === "," && depth === 0)) {
      globs.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  globs.push(current);
  return globs.map(unquote).filter((g) => g !== "");
}

/** Drops backticks and quotes around a glob (a loop: a regex for the end could backtrack badly). */
function unquote(glob: string): string {
  let start = 0;
  let end = glob.length;
  while (start < end && "`'\"".includes(glob[start] ?? "")) start++;
  while (end > start && "`'\"".includes(glob[end - 1] ?? "")) end--;
  return glob.slice(start, end);
}

/**
 * A scope glob: relative (else "must be …"), then one the path matcher takes (else why not, as the
 * issue's message: see `validate-plan.ts`).
 */
const scopeGlob = z
  .string()
  .trim()
  .min(1)
  .refine(isRelativeGlob)
  .superRefine((glob, ctx) => {
    if (!isRelativeGlob(glob)) return;
    const problem = globProblem(glob);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem, input: glob, params: { glob: true } });
  });

const lowercase = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(lowercase, z.enum(values)).nullish();
const count = z.number().int().positive();
const id = z.string().refine(isValidId);
const name = z.string().trim().min(1).max(200);
const text = z.string().nullish();
const list = (item: z.ZodType<string>, split: (s: string) => string[]) =>
  z.preprocess((v) => (typeof v === "string" ? split(v) : v), z.array(item)).nullish();

export const PhaseInputSchema = z.strictObject({
  phase_id: id,
  name,
  description: text,
  task_category: z.string().trim().min(1).max(64).nullish(),
  complexity: choice(COMPLEXITIES),
  builder_mode: choice(BUILDER_MODES),
  scope: list(scopeGlob, splitGlobs),
  acceptance: list(z.string().trim().min(1), (s) => [s]),
});

export const TierInputSchema = z.strictObject({
  tier_id: id,
  name,
  description: text,
  phases: z.array(PhaseInputSchema),
});

export const PlanInputSchema = z.strictObject({
  safety_profile: choice(SAFETY_PROFILES),
  run_scope: choice(RUN_SCOPES),
  token_cap: count.nullish(),
  max_phases: count.max(MAX_PHASES).nullish(),
  max_duration_minutes: count.nullish(),
  tiers: z.array(TierInputSchema),
});
export type PlanInput = z.infer<typeof PlanInputSchema>;

const ID_RULE =
  "an id of letters, digits, `.`, `_` or `-` that starts with a letter or digit (at most 40 characters, no `..`, not ending in `.lock`), such as `P1`";

/** What each field must hold, for "must be …" messages. */
const RULES: Record<string, string> = {
  safety_profile: `one of ${oneOf(SAFETY_PROFILES)}`,
  run_scope: `one of ${oneOf(RUN_SCOPES)}`,
  token_cap: "a whole number greater than 0, such as `2000000`",
  max_phases: `a whole number from 1 to ${MAX_PHASES}`,
  max_duration_minutes: "a whole number of minutes greater than 0, such as `120`",
  tiers: "a list of tiers, each with `tier_id`, `name` and `phases`",
  tier_id: ID_RULE.replace("`P1`", "`T1`"),
  phase_id: ID_RULE,
  name: "a name of 1 to 200 characters",
  description: "text",
  phases: "a list of phases, each with `phase_id` and `name`",
  task_category: "a short category such as `feature_scaffolding`, `docs` or `tests` (at most 64 characters)",
  complexity: `one of ${oneOf(COMPLEXITIES)}`,
  builder_mode: `one of ${oneOf(BUILDER_MODES)}`,
  scope: 'a list of path globs relative to the repository root, such as `["src/parser/**"]`',
  acceptance: 'a list of acceptance criteria, such as `["parses a plan"]`',
};

const ITEM_RULES: Record<string, string> = {
  tiers: "a tier: a mapping with `tier_id`, `name` and `phases`",
  phases: "a phase: a mapping with `phase_id`, `name` and optional fields",
  scope: "a path glob relative to the repository root (no leading `/`, no `..`), such as `src/**`",
  acceptance: "a criterion written as text",
};

const REQUIRED: Record<string, string> = {
  tiers: "the plan needs a `tiers` list with at least one tier",
  tier_id: "every tier needs an id, such as `tier_id: T1` or `## Tier T1: Name`",
  phase_id: "every phase needs an id, such as `phase_id: P1` or `### Phase P1: Name`",
  name: "every tier and phase needs a name, such as `name: Add the parser` or `### Phase P1: Add the parser`",
  phases: "every tier needs a `phases` list with at least one phase",
};

/** What the value at `path` must be. */
export function ruleAt(path: readonly PathSeg[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return "a YAML mapping with a `tiers` list (and optional run options)";
  if (typeof last === "number") return ITEM_RULES[String(path[path.length - 2])] ?? "a valid entry";
  return RULES[last] ?? "valid";
}

/** Why the missing value at `path` is needed. */
export function requiredHintAt(path: readonly PathSeg[]): string {
  const last = path[path.length - 1];
  return (typeof last === "string" && REQUIRED[last]) || `it must be ${ruleAt(path)}`;
}

/** The keys a mapping at `path` may hold. */
export function allowedKeysAt(path: readonly PathSeg[]): readonly string[] {
  if (path.length === 0) return RUN_KEYS;
  return path[path.length - 2] === "phases" ? PHASE_KEYS : TIER_KEYS;
}
