import { describe, expect, it } from "vitest";
import { auditorRequestBody, auditorResultBody, builderResultBody, runStartBody } from "../../../src/autopack-api/bodies.js";
import {
  AuditorRequestSchema,
  AuditorResultSchema,
  BuilderResultSchema,
  RunStartRequestSchema,
} from "../../../src/autopack-api/schemas.js";
import { phaseBudget } from "../../../src/plan/budgets.js";
import { sampleAudit, sampleBuild, samplePlan } from "./fixtures.js";
import { serviceModels } from "./schemas.js";

// The app's own schemas and the fake's, written separately from the API description, must both accept every body.
const service = serviceModels(true);

function bodies() {
  const plan = samplePlan();
  const runId = "gh-42-7-1";
  const phase = plan.phases[0]!;
  const built = builderResultBody({ runId, phaseId: phase.phase_id, outcome: sampleBuild(), attempt: 1 });
  const failed = builderResultBody({
    runId,
    phaseId: "P2",
    attempt: 2,
    outcome: sampleBuild({ status: "failed", commitSha: null, patch: "", filesChanged: [], tokensUsed: 0 }),
    probeResults: [{ probe_type: "tsc", exit_code: 2, stdout: "", stderr: "error TS2322", duration_seconds: 3.2 }],
  });
  return {
    start: runStartBody(runId, plan),
    builder: [built, failed],
    auditorRequest: [
      auditorRequestBody({ runId, phase, builder: built, budget: phaseBudget(phase.task_category) }),
      auditorRequestBody({ runId, phase: plan.phases[2]!, builder: null, failureContext: "CI failed", budget: phaseBudget(undefined) }),
    ],
    auditorResult: [
      auditorResultBody({ runId, phaseId: phase.phase_id, outcome: sampleAudit(), attempt: 1 }),
      auditorResultBody({
        runId,
        phaseId: phase.phase_id,
        outcome: sampleAudit({ findings: [], suggestedPatches: [], recommendation: "revise", reviewNotes: "" }),
        attempt: 2,
      }),
    ],
  };
}

describe("request bodies against both sets of schemas", () => {
  const b = bodies();

  it("run start", () => {
    expect(RunStartRequestSchema.safeParse(b.start).error).toBeUndefined();
    expect(service.runStart.safeParse(b.start).error).toBeUndefined();
  });

  it("builder results", () => {
    for (const body of b.builder) {
      expect(BuilderResultSchema.safeParse(body).error).toBeUndefined();
      expect(service.builderResult.safeParse(body).error).toBeUndefined();
    }
  });

  it("auditor requests", () => {
    for (const body of b.auditorRequest) {
      expect(AuditorRequestSchema.safeParse(body).error).toBeUndefined();
      expect(service.auditorRequest.safeParse(body).error).toBeUndefined();
    }
  });

  it("auditor results", () => {
    for (const body of b.auditorResult) {
      expect(AuditorResultSchema.safeParse(body).error).toBeUndefined();
      expect(service.auditorResult.safeParse(body).error).toBeUndefined();
    }
  });

  it("the fake refuses what the newer service refuses: a phase carrying scope", () => {
    const withScope = { ...b.start, phases: b.start.phases.map((p) => ({ ...p, scope: { paths: ["src/**"], read_only_context: [] } })) };
    expect(service.runStart.safeParse(withScope).success).toBe(false);
    expect(serviceModels(false).runStart.safeParse(withScope).success).toBe(true);
  });
});
