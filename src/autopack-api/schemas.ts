import { z } from "zod";

/*
 * The orchestrator's bodies and answers (see the API description in the README).
 *
 * Requests are strict: newer services refuse (422) any field they do not declare, so a body carrying
 * an undeclared field is a bug here, caught before it is sent. Optional fields are omitted, never
 * sent as null. Answers are loose: unknown fields pass through, and only what the app reads is checked.
 */

const int = () => z.number().int();
const count = () => z.number().int().nonnegative();

// ---------------------------------------------------------------- requests

export const RunCreateSchema = z.strictObject({
  run_id: z.string().min(1),
  safety_profile: z.enum(["normal", "safety_critical"]).optional(),
  run_scope: z.enum(["multi_tier", "single_tier"]).optional(),
  token_cap: int().positive().optional(),
  max_phases: int().positive().optional(),
  max_duration_minutes: int().positive().optional(),
});
export type RunCreate = z.infer<typeof RunCreateSchema>;

export const TierCreateSchema = z.strictObject({
  tier_id: z.string().min(1),
  tier_index: count(),
  name: z.string().min(1),
  description: z.string().optional(),
});
export type TierCreate = z.infer<typeof TierCreateSchema>;

/** No `scope`: only later services declare it, and the newer ones refuse undeclared fields. */
export const PhaseCreateSchema = z.strictObject({
  phase_id: z.string().min(1),
  phase_index: count(),
  tier_id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  task_category: z.string().min(1).optional(),
  complexity: z.enum(["low", "medium", "high"]).optional(),
  builder_mode: z.enum(["tweak_light", "scaffolding_heavy", "refactor_heavy", "schema_heavy"]).optional(),
});
export type PhaseCreate = z.infer<typeof PhaseCreateSchema>;

export const RunStartRequestSchema = z.strictObject({
  run: RunCreateSchema,
  tiers: z.array(TierCreateSchema),
  phases: z.array(PhaseCreateSchema),
});
export type RunStartRequest = z.infer<typeof RunStartRequestSchema>;

export const IssueSchema = z.strictObject({
  issue_key: z.string().min(1),
  severity: z.enum(["minor", "major"]),
  source: z.string().min(1),
  category: z.string(),
  evidence_refs: z.array(z.string()),
  description: z.string(),
});
export type Issue = z.infer<typeof IssueSchema>;

export const ProbeResultSchema = z.strictObject({
  probe_type: z.string().min(1),
  exit_code: int(),
  stdout: z.string(),
  stderr: z.string(),
  duration_seconds: z.number().nonnegative(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const BuilderResultSchema = z.strictObject({
  phase_id: z.string().min(1),
  run_id: z.string().min(1),
  patch_content: z.string().min(1).optional(),
  files_changed: z.array(z.string()).optional(),
  lines_added: count().optional(),
  lines_removed: count().optional(),
  builder_attempts: int().positive().optional(),
  tokens_used: count().optional(),
  duration_minutes: z.number().nonnegative().optional(),
  probe_results: z.array(ProbeResultSchema).optional(),
  suggested_issues: z.array(IssueSchema).optional(),
  status: z.enum(["success", "failed", "needs_review"]),
  notes: z.string().optional(),
});
export type BuilderResult = z.infer<typeof BuilderResultSchema>;

export const AuditorRequestSchema = z.strictObject({
  phase_id: z.string().min(1),
  run_id: z.string().min(1),
  tier_id: z.string().min(1),
  builder_result: BuilderResultSchema.optional(),
  failure_context: z.string().optional(),
  review_focus: z.string().min(1).optional(),
  auditor_profile: z.string().min(1).optional(),
});
export type AuditorRequest = z.infer<typeof AuditorRequestSchema>;

export const SuggestedPatchSchema = z.strictObject({
  description: z.string(),
  patch_content: z.string(),
  files_affected: z.array(z.string()),
});
export type SuggestedPatch = z.infer<typeof SuggestedPatchSchema>;

export const AuditorResultSchema = z.strictObject({
  phase_id: z.string().min(1),
  run_id: z.string().min(1),
  review_notes: z.string(),
  issues_found: z.array(IssueSchema).optional(),
  suggested_patches: z.array(SuggestedPatchSchema).optional(),
  auditor_attempts: int().positive().optional(),
  /** Added to the phase's count by the service (unlike the builder's, which overwrites). */
  tokens_used: count().optional(),
  recommendation: z.enum(["approve", "revise", "escalate"]),
  confidence: z.enum(["low", "medium", "high"]).optional(),
});
export type AuditorResult = z.infer<typeof AuditorResultSchema>;

// ---------------------------------------------------------------- answers

const maybeString = () => z.string().nullish();

export const PhaseViewSchema = z.looseObject({
  phase_id: z.string(),
  name: z.string(),
  state: z.string(),
  phase_index: int(),
  task_category: maybeString(),
  complexity: maybeString(),
  builder_mode: maybeString(),
});

export const TierViewSchema = z.looseObject({
  tier_id: z.string(),
  name: z.string(),
  state: z.string(),
  tier_index: int(),
  cleanliness: maybeString(),
  phases: z.array(PhaseViewSchema),
});

/** Note: the run's id is `id` here, not `run_id`. */
export const RunResponseSchema = z.looseObject({
  id: z.string(),
  state: z.string(),
  safety_profile: maybeString(),
  run_scope: maybeString(),
  tokens_used: z.number().nullish(),
  failure_reason: maybeString(),
  tiers: z.array(TierViewSchema).default([]),
});
export type RunResponse = z.infer<typeof RunResponseSchema>;

export const BuilderResultResponseSchema = z.looseObject({
  message: z.string(),
  commit_sha: maybeString(),
  phase_state: z.string(),
});
export type BuilderResultResponse = z.infer<typeof BuilderResultResponseSchema>;

export const AuditorRequestResponseSchema = z.looseObject({
  message: z.string(),
  review_focus: maybeString(),
  auditor_profile: maybeString(),
});
export type AuditorRequestResponse = z.infer<typeof AuditorRequestResponseSchema>;

export const AuditorResultResponseSchema = z.looseObject({
  message: z.string(),
  recommendation: z.string(),
  patches_applied: z.boolean().nullish(),
  commit_shas: z.array(z.string()).nullish(),
  phase_state: z.string(),
});
export type AuditorResultResponse = z.infer<typeof AuditorResultResponseSchema>;

export const RunSummarySchema = z.looseObject({
  run_id: z.string(),
  state: z.string(),
  safety_profile: maybeString(),
  run_scope: maybeString(),
  budgets: z.looseObject({
    tokens_used: z.number(),
    token_cap: z.number(),
    token_utilization: z.number().nullish(),
    phase_count: z.number(),
    max_phases: z.number(),
  }),
  issues: z.looseObject({
    minor_count: z.number(),
    major_count: z.number(),
    max_minor_total: z.number().nullish(),
    distinct_issues: z.number().nullish(),
  }),
  tiers: z.array(
    z.looseObject({
      tier_id: z.string(),
      name: z.string(),
      state: z.string(),
      phase_count: z.number().nullish(),
      minor_issues: z.number().nullish(),
      major_issues: z.number().nullish(),
      tokens_used: z.number().nullish(),
    }),
  ),
  phases: z.array(
    z.looseObject({
      phase_id: z.string(),
      phase_index: z.number(),
      name: z.string(),
      state: z.string(),
      task_category: maybeString(),
      complexity: maybeString(),
      builder_attempts: z.number().nullish(),
      auditor_attempts: z.number().nullish(),
      tokens_used: z.number().nullish(),
      minor_issues: z.number().nullish(),
      major_issues: z.number().nullish(),
    }),
  ),
  started_at: maybeString(),
  completed_at: maybeString(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** FastAPI's error body: a string (400, 404, 401…) or, for 422, a list of validation errors. */
export const ValidationErrorItemSchema = z.looseObject({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: z.string().optional(),
});
export const ErrorBodySchema = z.looseObject({
  detail: z.union([z.string(), z.array(ValidationErrorItemSchema)]),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
