import { describe, expect, it } from "vitest";
import { builderResultCall, MAX_STORED_PATCH, MirrorCallSchema, withProbeResults } from "./calls.js";
import type { BuilderResult } from "./schemas.js";

const body = (patch: string): BuilderResult => ({
  phase_id: "P1",
  run_id: "gh-1-9-1",
  status: "success",
  patch_content: patch,
  notes: "Added a.",
});

describe("stored mirror calls", () => {
  it("keep a patch that fits, and leave out one too big for the run's state, saying so", () => {
    const small = builderResultCall("gh-1-9-1", "P1", body("+a\n"));
    expect(small.body.patch_content).toBe("+a\n");
    const big = builderResultCall("gh-1-9-1", "P1", body(`+${"x".repeat(MAX_STORED_PATCH)}\n`));
    expect(big.body.patch_content).toBeUndefined();
    expect(big.body.notes).toBe(`Added a.\n(patch of ${MAX_STORED_PATCH + 2} characters left out; see the pull request)`);
  });

  it("never keep a patch holding a secret-looking string", () => {
    const call = builderResultCall("gh-1-9-1", "P1", body("+AWS_KEY=AKIAIOSFODNN7EXAMPLE\n"));
    expect(JSON.stringify(call)).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(call.body.notes).toContain("holds a secret-looking string");
  });

  it("carry the checks as probe results, leaving the call they came from unchanged", () => {
    const call = builderResultCall("gh-1-9-1", "P1", body("+a\n"));
    const probe = { probe_type: "check_run:test", exit_code: 0, stdout: "ok", stderr: "", duration_seconds: 3 };
    expect(withProbeResults(call, [probe]).body.probe_results).toEqual([probe]);
    expect(call.body.probe_results).toBeUndefined();
  });

  it("are typed by operation: a body that is not its operation's is refused", () => {
    expect(MirrorCallSchema.safeParse({ op: "builder_result", runId: "r", phaseId: "P1", body: body("+a\n") }).success).toBe(true);
    expect(MirrorCallSchema.safeParse({ op: "auditor_result", runId: "r", phaseId: "P1", body: body("+a\n") }).success).toBe(false);
    expect(MirrorCallSchema.safeParse({ op: "start", runId: "r", body: {} }).success).toBe(false);
  });
});
