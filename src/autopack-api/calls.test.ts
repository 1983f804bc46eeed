import { describe, expect, it } from "vitest";
import {
  builderResultCall,
  MAX_PROBE_TEXT_PER_CALL,
  MAX_PROBES_PER_CALL,
  MAX_STORED_PATCH,
  MirrorCallSchema,
  withoutProbeText,
  withoutStoredPatch,
  withProbeResults,
} from "./calls.js";
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

  it("carry at most 50 check results, failing ones first, within 16,000 characters of output, saying what was left out", () => {
    const call = builderResultCall("gh-1-9-1", "P1", body("+a\n"));
    const probes = Array.from({ length: 200 }, (_, i) => ({
      probe_type: `check_run:job ${i}`,
      exit_code: i % 5 === 0 ? 1 : 0,
      stdout: "o".repeat(4_000),
      stderr: i % 5 === 0 ? "e".repeat(4_000) : "",
      duration_seconds: 1,
    }));
    const shaped = withProbeResults(call, probes).body;
    const kept = shaped.probe_results!;
    expect(kept).toHaveLength(MAX_PROBES_PER_CALL);
    // All 40 failing checks, then the first 10 others, in their order.
    expect(kept.filter((p) => p.exit_code === 1)).toHaveLength(40);
    expect(kept.map((p) => p.probe_type).slice(0, 3)).toEqual(["check_run:job 0", "check_run:job 1", "check_run:job 2"]);
    expect(kept.reduce((n, p) => n + p.stdout.length + p.stderr.length, 0)).toBeLessThanOrEqual(MAX_PROBE_TEXT_PER_CALL);
    expect(shaped.notes).toContain("150 of 200 check results left out");
    expect(MirrorCallSchema.safeParse({ ...call, body: shaped }).success).toBe(true);
  });

  it("can give up their patch, then their check output, to fit the run's record", () => {
    const call = withProbeResults(builderResultCall("gh-1-9-1", "P1", body("+a\n")), [
      { probe_type: "check_run:test", exit_code: 1, stdout: "1 failed", stderr: "at a.ts:3", duration_seconds: 2 },
    ]);
    const lighter = withoutProbeText(withoutStoredPatch(call));
    expect(lighter.body.patch_content).toBeUndefined();
    expect(lighter.body.probe_results).toEqual([
      { probe_type: "check_run:test", exit_code: 1, stdout: "", stderr: "", duration_seconds: 2 },
    ]);
    expect(lighter.body.notes).toContain("patch left out to fit the run's record");
    expect(lighter.body.notes).toContain("check output left out to fit the run's record");
    // Nothing left to give: the same call.
    expect(withoutProbeText(withoutStoredPatch(lighter))).toBe(lighter);
  });

  it("are typed by operation: a body that is not its operation's is refused", () => {
    expect(MirrorCallSchema.safeParse({ op: "builder_result", runId: "r", phaseId: "P1", body: body("+a\n") }).success).toBe(true);
    expect(MirrorCallSchema.safeParse({ op: "auditor_result", runId: "r", phaseId: "P1", body: body("+a\n") }).success).toBe(false);
    expect(MirrorCallSchema.safeParse({ op: "start", runId: "r", body: {} }).success).toBe(false);
  });
});
