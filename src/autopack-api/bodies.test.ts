import { describe, expect, it } from "vitest";
import type { AuditOutcome, Finding } from "../auditor/types.js";
import type { BuildOutcome } from "../builder/types.js";
import { PlanSchema } from "../plan/schema.js";
import { phaseBudget } from "../plan/budgets.js";
import { auditorRequestBody, auditorResultBody, builderResultBody, runStartBody } from "./bodies.js";
import { AuditorRequestSchema, AuditorResultSchema, BuilderResultSchema, RunStartRequestSchema } from "./schemas.js";

const plan = PlanSchema.parse({
  run: { run_scope: "single_tier", max_duration_minutes: 60 },
  tiers: [{ tier_id: "T1", tier_index: 0, name: "Only tier" }],
  phases: [
    {
      phase_id: "P1",
      phase_index: 0,
      tier_id: "T1",
      name: "Auth",
      task_category: "security_auth_change",
      complexity: "high",
      scope: ["src/auth/**"],
      acceptance: ["tokens expire"],
    },
    { phase_id: "P2", phase_index: 1, tier_id: "T1", name: "Plain" },
  ],
});

const build: BuildOutcome = {
  status: "failed",
  commitSha: null,
  prNumber: null,
  prUrl: null,
  patch: "",
  filesChanged: [],
  linesAdded: 0,
  linesRemoved: 0,
  tokensUsed: 900.6,
  durationMinutes: 0.25,
  notes: "Model refused the task.",
};

const finding = (f: Partial<Finding>): Finding => ({
  key: "k",
  path: null,
  line: null,
  severity: "minor",
  category: "bug",
  message: "m",
  suggestion: null,
  source: "model",
  ...f,
});

const audit: AuditOutcome = {
  recommendation: "escalate",
  confidence: "low",
  summary: "Needs a human.",
  reviewNotes: "",
  findings: [
    finding({ key: "a", path: "src/auth/login.ts", line: 14, severity: "major", category: "security", message: "Token logged" }),
    finding({ key: "b", path: ".github/workflows/ci.yml", source: "check", category: "scope", message: "Outside scope" }),
  ],
  suggestedPatches: [],
  tokensUsed: 321,
  reviewId: null,
  checkRunId: null,
  stale: false,
};

describe("runStartBody", () => {
  const body = runStartBody("gh-1-2-3", plan);

  it("parses with the strict request schema", () => {
    expect(RunStartRequestSchema.parse(body)).toEqual(body);
  });

  it("sends the run's limits under the given run id", () => {
    expect(body.run).toEqual({
      run_id: "gh-1-2-3",
      safety_profile: "normal",
      run_scope: "single_tier",
      token_cap: 5_000_000,
      max_phases: 25,
      max_duration_minutes: 60,
    });
  });

  it("leaves out scope and acceptance and optional fields without a value, but always sends a complexity (medium by default)", () => {
    expect(body.phases[0]).toEqual({
      phase_id: "P1",
      phase_index: 0,
      tier_id: "T1",
      name: "Auth",
      description: "",
      task_category: "security_auth_change",
      complexity: "high",
    });
    expect(body.phases[1]).toEqual({
      phase_id: "P2",
      phase_index: 1,
      tier_id: "T1",
      name: body.phases[1]!.name,
      description: body.phases[1]!.description,
      complexity: "medium",
    });
    expect(JSON.stringify(body)).not.toContain("null");
  });
});

describe("builderResultBody", () => {
  it("maps a failed attempt without a patch, and parses", () => {
    const body = builderResultBody({ runId: "r", phaseId: "P2", outcome: build, attempt: 2 });
    expect(BuilderResultSchema.parse(body)).toEqual(body);
    expect(body).not.toHaveProperty("patch_content");
    expect(body).toMatchObject({
      status: "failed",
      builder_attempts: 2,
      tokens_used: 900,
      probe_results: [],
      suggested_issues: [],
      notes: "Model refused the task.",
    });
  });

  it("sends the running token total when given (the service overwrites it)", () => {
    const body = builderResultBody({
      runId: "r",
      phaseId: "P2",
      outcome: { ...build, status: "success", patch: "diff --git a/x b/x\n" },
      attempt: 1,
      tokensUsed: 5000,
    });
    expect(body).toMatchObject({ tokens_used: 5000, patch_content: "diff --git a/x b/x\n", status: "success" });
  });
});

describe("auditorRequestBody", () => {
  it("takes focus and profile from the playbook budget", () => {
    const body = auditorRequestBody({ runId: "r", phase: plan.phases[0]!, builder: null, budget: phaseBudget("security_auth_change") });
    expect(AuditorRequestSchema.parse(body)).toEqual(body);
    expect(body).toEqual({ phase_id: "P1", run_id: "r", tier_id: "T1", review_focus: "security", auditor_profile: "security_review" });
  });

  it("embeds the builder result and the failure context", () => {
    const builder = builderResultBody({ runId: "r", phaseId: "P2", outcome: build, attempt: 1 });
    const body = auditorRequestBody({
      runId: "r",
      phase: plan.phases[1]!,
      builder,
      failureContext: "tsc failed",
      budget: phaseBudget(undefined),
    });
    expect(AuditorRequestSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ builder_result: builder, failure_context: "tsc failed", review_focus: "general" });
    expect(body).not.toHaveProperty("auditor_profile");
  });
});

describe("auditorResultBody", () => {
  const body = auditorResultBody({ runId: "r", phaseId: "P1", outcome: audit, attempt: 3 });

  it("parses, with this attempt's tokens and the summary when there are no review notes", () => {
    expect(AuditorResultSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      auditor_attempts: 3,
      tokens_used: 321,
      recommendation: "escalate",
      confidence: "low",
      review_notes: "Needs a human.",
      suggested_patches: [],
    });
  });

  it("turns findings into issues", () => {
    expect(body.issues_found).toEqual([
      {
        issue_key: "a",
        severity: "major",
        source: "auditor",
        category: "security",
        evidence_refs: ["src/auth/login.ts:14"],
        description: "Token logged",
      },
      {
        issue_key: "b",
        severity: "minor",
        source: "check:scope",
        category: "scope",
        evidence_refs: [".github/workflows/ci.yml"],
        description: "Outside scope",
      },
    ]);
  });
});
