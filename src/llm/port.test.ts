import { describe, expect, it } from "vitest";
import { parsePurposeId, purposeId } from "./port.js";

describe("a request's purpose id", () => {
  it("reads back what it says, with or without the unique tag", () => {
    const id = purposeId("builder", { runId: "gh-7-12-1", phaseId: "P1.a", attempt: 2, step: "files" });
    expect(id).toBe("autopack:gh-7-12-1/P1.a/builder/2/files");
    const purpose = { runId: "gh-7-12-1", phaseId: "P1.a", role: "builder", attempt: 2, step: "files" };
    expect(parsePurposeId(id)).toEqual(purpose);
    expect(parsePurposeId(`${id}#abc123-9`)).toEqual(purpose);
  });

  it("stays short ASCII with one part per field, whatever the ids hold", () => {
    const id = purposeId("auditor", { runId: "run/ü", phaseId: "x".repeat(200), attempt: 1, step: "audit#1" });
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(id.length).toBeLessThan(200);
    expect(parsePurposeId(id)).toMatchObject({ runId: "run__", role: "auditor", step: "audit_1" });
  });

  it("is null for ids it did not write", () => {
    for (const id of ["", "req_123", "autopack:a/b/c", "autopack:r/p/writer/1/s", "autopack:r/p/builder/one/s"])
      expect(parsePurposeId(id)).toBeNull();
  });
});
