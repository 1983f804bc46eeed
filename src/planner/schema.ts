import { z } from "zod";
import { COMPLEXITIES } from "../plan/schema.js";

/**
 * What the planner model answers: a plan in Autopack's own terms. Every field is required and
 * nullable (OpenAI's strict structured output refuses optional fields); the plan parser, not this
 * schema, decides whether the plan is valid.
 */
export const ProposedPhaseSchema = z.object({
  phase_id: z.string().describe("An id such as P1: letters, digits, '.', '_' or '-', unique in the plan"),
  name: z.string().describe("What the phase does, in a few words"),
  description: z.string().nullable().describe("What to build, for the Builder, in plain words"),
  task_category: z
    .string()
    .nullable()
    .describe("feature_scaffolding, docs, tests, debt_cleanup, cross_cutting_refactor, schema_contract_change, security_auth_change, …"),
  complexity: z.enum(COMPLEXITIES).nullable(),
  scope: z.array(z.string()).describe("Path globs of the files the phase may change, such as src/parser/**"),
  acceptance: z.array(z.string()).describe("Acceptance criteria a reviewer can check, one per entry"),
});

export const ProposedTierSchema = z.object({
  tier_id: z.string().describe("An id such as T1"),
  name: z.string(),
  description: z.string().nullable(),
  phases: z.array(ProposedPhaseSchema),
});

export const ProposedPlanSchema = z.object({
  summary: z.string().describe("One or two sentences on how the plan splits the work"),
  tiers: z.array(ProposedTierSchema).describe("Tiers run in order; the phases of one tier can be built at the same time"),
});
export type ProposedPlan = z.infer<typeof ProposedPlanSchema>;

/** Most files the planner model may ask to read. */
export const MAX_PLANNER_FILES = 8;

export const PlannerFileRequestSchema = z.object({
  files: z.array(z.string()).describe(`Repository paths to read before planning, at most ${MAX_PLANNER_FILES}, most useful first`),
});
