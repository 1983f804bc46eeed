import type { AuditOutcome, Finding } from "../../../src/auditor/types.js";
import type { BuildOutcome } from "../../../src/builder/types.js";
import { PlanSchema, type Plan } from "../../../src/plan/schema.js";

/** A plan with everything the orchestrator does not know about (scope, acceptance) filled in. */
export function samplePlan(): Plan {
  return PlanSchema.parse({
    run: { safety_profile: "normal", token_cap: 2_000_000 },
    tiers: [
      { tier_id: "T1", tier_index: 0, name: "Foundations", description: "Data model first" },
      { tier_id: "T2", tier_index: 1, name: "Surface" },
    ],
    phases: [
      {
        phase_id: "P1",
        phase_index: 0,
        tier_id: "T1",
        name: "Add the schema",
        description: "Tables and types",
        task_category: "schema_contract_change",
        complexity: "high",
        builder_mode: "schema_heavy",
        scope: ["src/db/**"],
        acceptance: ["migrations run", "types compile"],
      },
      { phase_id: "P2", phase_index: 1, tier_id: "T1", name: "Document it", task_category: "docs", scope: ["docs/**"] },
      { phase_id: "P3", phase_index: 2, tier_id: "T2", name: "Wire the endpoint" },
    ],
  });
}

export function sampleBuild(overrides: Partial<BuildOutcome> = {}): BuildOutcome {
  return {
    status: "success",
    commitSha: "a".repeat(40),
    prNumber: 12,
    prUrl: "https://github.example/o/r/pull/12",
    patch:
      "diff --git a/src/db/schema.ts b/src/db/schema.ts\n--- a/src/db/schema.ts\n+++ b/src/db/schema.ts\n@@ -1 +1,2 @@\n export {};\n+export const x = 1;\n",
    filesChanged: ["src/db/schema.ts"],
    linesAdded: 1,
    linesRemoved: 0,
    tokensUsed: 12_345,
    durationMinutes: 1.5,
    notes: "Added the schema module.",
    ...overrides,
  };
}

export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    key: "unchecked-input",
    path: "src/db/schema.ts",
    line: 2,
    severity: "minor",
    category: "bug",
    message: "The value is not validated.",
    suggestion: null,
    source: "model",
    ...overrides,
  };
}

export function sampleAudit(overrides: Partial<AuditOutcome> = {}): AuditOutcome {
  return {
    recommendation: "approve",
    confidence: "high",
    summary: "Looks right.",
    findings: [
      sampleFinding(),
      sampleFinding({ key: "scope-escape", path: "README.md", line: null, category: "scope", source: "check", severity: "major" }),
      sampleFinding({ key: "naming", path: null, line: null, category: "style" }),
    ],
    reviewNotes: "One minor issue, one file outside the phase's scope.",
    suggestedPatches: [{ description: "Validate x", patch_content: "--- a/x\n+++ b/x\n", files_affected: ["x"] }],
    tokensUsed: 4_000,
    reviewId: 7,
    checkRunId: 8,
    stale: false,
    ...overrides,
  };
}
