import type { z } from "zod";
import { formatPath, isRecord, type Draft, type Locate, type PathSeg } from "./draft.js";
import { allowedKeysAt, PlanInputSchema, requiredHintAt, ruleAt, type PlanInput } from "./plan-input.js";
import { closestKey, code, describeValue } from "./problem-text.js";
import { MAX_PHASES, PlanSchema, RunOptionsSchema, type Phase, type Plan, type PlanParseResult, type PlanProblem } from "./schema.js";

/** Checks a draft from either form and, when it is sound, turns it into a `Plan`. */
export function validateDraft(draft: Draft): PlanParseResult {
  const parsed = PlanInputSchema.safeParse(draft.data, { reportInput: true });
  const problems = parsed.success ? [] : issueProblems(parsed.error.issues, draft.locate);
  problems.push(...crossChecks(draft.data, draft.locate));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const plan = PlanSchema.safeParse(buildPlan(parsed.data));
  if (!plan.success) {
    return { ok: false, problems: plan.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })) };
  }
  return { ok: true, plan: plan.data, form: draft.form };
}

/**
 * Indexes are 0-based, as in the orchestrator's own examples. `tier_index` is the tier's position
 * in the plan; `phase_index` counts phases across the whole plan (not within the tier), because
 * the orchestrator orders a run's phases by `phase_index` alone and names phase files by it.
 */
export function buildPlan(input: PlanInput): Plan {
  const run = RunOptionsSchema.parse({
    safety_profile: input.safety_profile ?? undefined,
    run_scope: input.run_scope ?? undefined,
    token_cap: input.token_cap ?? undefined,
    max_phases: input.max_phases ?? undefined,
    max_duration_minutes: input.max_duration_minutes ?? undefined,
  });
  const tiers: Plan["tiers"] = [];
  const phases: Phase[] = [];
  input.tiers.forEach((tier, tierIndex) => {
    tiers.push({ tier_id: tier.tier_id, tier_index: tierIndex, name: tier.name, description: (tier.description ?? "").trim() });
    for (const p of tier.phases) {
      phases.push({
        phase_id: p.phase_id,
        phase_index: phases.length,
        tier_id: tier.tier_id,
        name: p.name,
        description: (p.description ?? "").trim(),
        ...(p.task_category ? { task_category: p.task_category } : {}),
        ...(p.complexity ? { complexity: p.complexity } : {}),
        ...(p.builder_mode ? { builder_mode: p.builder_mode } : {}),
        scope: p.scope ?? [],
        acceptance: p.acceptance ?? [],
      });
    }
  });
  return { run, tiers, phases };
}

function issueProblems(issues: readonly z.core.$ZodIssue[], locate: Locate): PlanProblem[] {
  const out: PlanProblem[] = [];
  const seen = new Set<string>();
  const guessed = new Set<string>();
  const pathOf = (issue: z.core.$ZodIssue) => issue.path.filter((s): s is PathSeg => typeof s !== "symbol");
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      const problem = unknownKey(pathOf(issue), key, locate);
      // A misspelt required key: the "unknown key" problem says it all, no separate "is missing".
      if (problem.guess) guessed.add(formatPath([...pathOf(issue), problem.guess]));
      out.push({ line: problem.line, field: problem.field, message: problem.message });
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") continue;
    const path = pathOf(issue);
    const field = formatPath(path);
    const missing = issue.code === "invalid_type" && (issue.input === undefined || issue.input === null);
    if (seen.has(field) || (missing && guessed.has(field))) continue;
    seen.add(field);
    out.push({ line: locate(path), ...(field ? { field } : {}), message: issueMessage(issue, path) });
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue, path: readonly PathSeg[]): string {
  const input = issue.input;
  if (issue.code === "invalid_type" && (input === undefined || input === null)) {
    return `is missing; ${requiredHintAt(path)}`;
  }
  if (issue.code === "too_big" && typeof input === "string") {
    return `is ${input.length} characters long; it can be at most ${String(issue.maximum)}`;
  }
  if (issue.code === "too_small" && typeof input === "string") return `is empty; it must be ${ruleAt(path)}`;
  if (issue.code === "custom" && issue.params?.glob === true && typeof input === "string") {
    return `is a glob Autopack cannot use: ${code(input)} ${issue.message}`;
  }
  let message = `must be ${ruleAt(path)}, not ${describeValue(input)}`;
  if (issue.code === "invalid_value" && typeof input === "string") {
    const guess = closestKey(input, issue.values.map(String));
    if (guess) message += ` (did you mean \`${guess}\`?)`;
  }
  return message;
}

function unknownKey(path: readonly PathSeg[], key: string, locate: Locate): PlanProblem & { guess?: string } {
  const allowed = allowedKeysAt(path);
  const where = [...path, key];
  const guess = path.length === 0 && key === "phases" ? undefined : closestKey(key, allowed);
  let message = `unknown key ${code(key, 40)}`;
  if (path.length === 0 && key === "phases") {
    message += "; phases go inside a tier: `tiers: [{ tier_id: T1, name: …, phases: [...] }]`";
  } else {
    if (guess) message += ` (did you mean \`${guess}\`?)`;
    message += `; allowed keys here: ${allowed.map((k) => `\`${k}\``).join(", ")}`;
  }
  return { line: locate(where), field: formatPath(where), message, ...(guess ? { guess } : {}) };
}

/** Rules across entries: unique ids, a phase in every tier, the phase limit. */
function crossChecks(data: unknown, locate: Locate): PlanProblem[] {
  const out: PlanProblem[] = [];
  if (!isRecord(data) || !Array.isArray(data.tiers)) return out;
  const tiers: unknown[] = data.tiers;
  if (tiers.length === 0) {
    out.push({ line: locate(["tiers"]), field: "tiers", message: "is empty; the plan needs at least one tier with one phase" });
  }
  const total = tiers.reduce<number>((n, t) => n + (isRecord(t) && Array.isArray(t.phases) ? t.phases.length : 0), 0);
  const setLimit = data.max_phases;
  const limit = typeof setLimit === "number" && Number.isInteger(setLimit) && setLimit > 0 ? Math.min(setLimit, MAX_PHASES) : MAX_PHASES;
  const tierIds = new Map<string, PathSeg[]>();
  const phaseIds = new Map<string, PathSeg[]>();
  let seen = 0;
  tiers.forEach((tier, i) => {
    if (!isRecord(tier)) return;
    unique(tier.tier_id, ["tiers", i, "tier_id"], tierIds, "tier", locate, out);
    if (!Array.isArray(tier.phases)) return;
    const phases: unknown[] = tier.phases;
    if (phases.length === 0) {
      const label = typeof tier.tier_id === "string" ? `tier ${code(tier.tier_id, 40)}` : "this tier";
      out.push({
        line: locate(["tiers", i, "phases"]),
        field: formatPath(["tiers", i, "phases"]),
        message: `is empty; ${label} needs at least one phase`,
      });
    }
    phases.forEach((phase, j) => {
      seen += 1;
      if (seen === limit + 1) out.push(tooMany(["tiers", i, "phases", j], total, limit, locate));
      if (isRecord(phase)) unique(phase.phase_id, ["tiers", i, "phases", j, "phase_id"], phaseIds, "phase", locate, out);
    });
  });
  return out;
}

function tooMany(path: PathSeg[], total: number, limit: number, locate: Locate): PlanProblem {
  const message =
    limit < MAX_PHASES
      ? `the plan has ${total} phases but sets \`max_phases: ${limit}\`; remove phases or raise \`max_phases\` (at most ${MAX_PHASES})`
      : `the plan has ${total} phases; a plan can have at most ${MAX_PHASES}, so split the work across several issues`;
  return { line: locate(path), field: formatPath(path), message };
}

function unique(
  id: unknown,
  path: PathSeg[],
  seen: Map<string, PathSeg[]>,
  what: "tier" | "phase",
  locate: Locate,
  out: PlanProblem[],
): void {
  if (typeof id !== "string" || id === "") return;
  // Compared without case: ids name branches, and branch names clash on case-insensitive disks.
  const first = seen.get(id.toLowerCase());
  if (!first) {
    seen.set(id.toLowerCase(), path);
    return;
  }
  const firstLine = locate(first);
  const at = firstLine === undefined ? `at ${code(formatPath(first))}` : `on line ${firstLine}`;
  out.push({
    line: locate(path),
    field: formatPath(path),
    message: `${code(id, 40)} is already used by the ${what} ${at}; every ${what}_id must be unique in the plan (ids are compared ignoring case)`,
  });
}
