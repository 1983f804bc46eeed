import { z } from "zod";

/** Ids end up in branch names (`autopack/<issue>/<phase_id>`), so they must be valid ref components. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
export const MAX_PHASES = 25;

export const COMPLEXITIES = ["low", "medium", "high"] as const;
export const BUILDER_MODES = ["tweak_light", "scaffolding_heavy", "refactor_heavy", "schema_heavy"] as const;
export const SAFETY_PROFILES = ["normal", "safety_critical"] as const;
export const RUN_SCOPES = ["multi_tier", "single_tier"] as const;

const id = (what: string) =>
  z
    .string()
    .regex(ID_PATTERN, `${what} must start with a letter or digit and use only letters, digits, '.', '_' or '-' (at most 40 characters)`)
    .refine((s) => !s.endsWith(".lock") && !s.includes(".."), `${what} cannot contain '..' or end with '.lock'`);

export const RunOptionsSchema = z.object({
  safety_profile: z.enum(SAFETY_PROFILES).default("normal"),
  run_scope: z.enum(RUN_SCOPES).default("multi_tier"),
  token_cap: z.number().int().positive().default(5_000_000),
  max_phases: z.number().int().positive().max(MAX_PHASES).default(MAX_PHASES),
  max_duration_minutes: z.number().int().positive().default(120),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

export const TierSchema = z.object({
  tier_id: id("tier_id"),
  tier_index: z.number().int().nonnegative(),
  name: z.string().min(1).max(200),
  description: z.string().default(""),
});
export type Tier = z.infer<typeof TierSchema>;

export const PhaseSchema = z.object({
  phase_id: id("phase_id"),
  phase_index: z.number().int().nonnegative(),
  tier_id: id("tier_id"),
  name: z.string().min(1).max(200),
  description: z.string().default(""),
  task_category: z.string().min(1).max(64).optional(),
  complexity: z.enum(COMPLEXITIES).optional(),
  builder_mode: z.enum(BUILDER_MODES).optional(),
  /** Path globs the phase is expected to touch. */
  scope: z
    .array(
      z
        .string()
        .min(1)
        .max(200)
        .regex(/^[\w.\-/*?{}[\]!,@+ ]+$/, "must be a path glob (letters, digits, / . _ - * ? { } [ ] ! ,)"),
    )
    .default([]),
  /** Acceptance criteria, one per entry. */
  acceptance: z.array(z.string().min(1)).default([]),
});
export type Phase = z.infer<typeof PhaseSchema>;

/** The one shape both plan forms (YAML block, Markdown headings) parse to. */
export const PlanSchema = z.object({
  run: RunOptionsSchema,
  tiers: z.array(TierSchema).min(1),
  phases: z.array(PhaseSchema).min(1),
});
export type Plan = z.infer<typeof PlanSchema>;

/** One precise complaint about a plan: where it is (1-based line of the issue body, field path) and what is expected. */
export interface PlanProblem {
  line?: number;
  field?: string;
  message: string;
}

export type PlanParseResult = { ok: true; plan: Plan; form: "yaml" | "markdown" } | { ok: false; problems: PlanProblem[] };

export function phasesOfTier(plan: Plan, tierId: string): Phase[] {
  return plan.phases.filter((p) => p.tier_id === tierId);
}
