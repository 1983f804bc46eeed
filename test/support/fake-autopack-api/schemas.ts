import { z } from "zod";

/*
 * The orchestrator's request models, written from its API description alone (not shared with the
 * app's client, so a mistake in the client's schemas is caught here). Defaults are the service's.
 * `strict`: refuse undeclared fields, as newer services do; otherwise ignore them, as older ones do.
 * Where the description lists the values a field takes, only those are accepted: the service would
 * take any string and silently misfile it, which is exactly what a test should catch.
 */
export function serviceModels(strict: boolean) {
  const model = <S extends z.ZodRawShape>(shape: S) => (strict ? z.strictObject(shape) : z.looseObject(shape));
  const str = z.string();
  const int = z.number().int();
  const nullableStr = z.string().nullable().optional();

  const issue = model({
    issue_key: str,
    severity: z.enum(["minor", "major"]),
    source: str,
    category: str,
    evidence_refs: z.array(str),
    description: str,
  });

  const builderResult = model({
    phase_id: str,
    run_id: str,
    patch_content: nullableStr,
    files_changed: z.array(str).default([]),
    lines_added: int.default(0),
    lines_removed: int.default(0),
    builder_attempts: int.default(1),
    tokens_used: int.default(0),
    duration_minutes: z.number().default(0),
    probe_results: z.array(model({ probe_type: str, exit_code: int, stdout: str, stderr: str, duration_seconds: z.number() })).default([]),
    suggested_issues: z.array(issue).default([]),
    status: z.enum(["success", "failed", "needs_review"]),
    notes: str.default(""),
  });

  return {
    runStart: model({
      run: model({
        run_id: str,
        safety_profile: z.enum(["normal", "safety_critical"]).default("normal"),
        run_scope: z.enum(["multi_tier", "single_tier"]).default("multi_tier"),
        token_cap: int.default(5_000_000),
        max_phases: int.default(25),
        max_duration_minutes: int.default(120),
      }),
      tiers: z.array(model({ tier_id: str, tier_index: int, name: str, description: nullableStr })),
      phases: z.array(
        model({
          phase_id: str,
          phase_index: int,
          tier_id: str,
          name: str,
          description: nullableStr,
          task_category: nullableStr,
          complexity: z.enum(["low", "medium", "high"]).nullable().optional(),
          builder_mode: z.enum(["tweak_light", "scaffolding_heavy", "refactor_heavy", "schema_heavy"]).nullable().optional(),
        }),
      ),
    }),
    builderResult,
    auditorRequest: model({
      phase_id: str,
      run_id: str,
      tier_id: str,
      builder_result: builderResult.nullable().optional(),
      failure_context: nullableStr,
      review_focus: str.default("general"),
      auditor_profile: nullableStr,
    }),
    auditorResult: model({
      phase_id: str,
      run_id: str,
      review_notes: str,
      issues_found: z.array(issue).default([]),
      suggested_patches: z.array(model({ description: str, patch_content: str, files_affected: z.array(str) })).default([]),
      auditor_attempts: int.default(1),
      tokens_used: int.default(0),
      recommendation: z.enum(["approve", "revise", "escalate"]),
      confidence: z.enum(["low", "medium", "high"]).default("medium"),
    }),
  };
}

export type ServiceModels = ReturnType<typeof serviceModels>;
export type RunStartBody = z.infer<ServiceModels["runStart"]>;
export type BuilderResultBody = z.infer<ServiceModels["builderResult"]>;
export type AuditorRequestBody = z.infer<ServiceModels["auditorRequest"]>;
export type AuditorResultBody = z.infer<ServiceModels["auditorResult"]>;
export type IssueBody = BuilderResultBody["suggested_issues"][number];
