import { describe, expect, it } from "vitest";
import { makeFinding } from "./finding-key.js";
import type { Finding } from "./types.js";
import { decideVerdict } from "./verdict.js";

const finding = (over: Partial<Omit<Finding, "key">>): Finding =>
  makeFinding({
    path: "src/a.ts",
    line: 3,
    severity: "minor",
    category: "style",
    message: "m",
    suggestion: null,
    source: "model",
    ...over,
  });

const majorBug = finding({ severity: "major", category: "bug", message: "off by one" });
const minor = finding({ message: "rename x" });
const secret = finding({ severity: "major", category: "secret", source: "check", message: "credential" });
const denied = finding({ severity: "major", category: "denied-path", source: "check", message: "workflow" });
const scope = finding({ severity: "major", category: "scope", source: "check", message: "outside" });

describe("decideVerdict", () => {
  it("keeps the model's answer when no major finding stands", () => {
    expect(decideVerdict("approve", [])).toEqual({ recommendation: "approve", reasons: [] });
    expect(decideVerdict("approve", [minor]).recommendation).toBe("approve");
    expect(decideVerdict("revise", [minor]).recommendation).toBe("revise");
  });

  it("never approves while a major finding stands: revise", () => {
    const v = decideVerdict("approve", [minor, majorBug]);
    expect(v.recommendation).toBe("revise");
    expect(v.reasons).toEqual(["1 major finding must be fixed"]);
    expect(decideVerdict("approve", [scope]).recommendation).toBe("revise");
  });

  it("escalates a credential or a denied path found by the checks, whatever the model says", () => {
    for (const model of ["approve", "revise", "escalate"] as const) {
      expect(decideVerdict(model, [secret]).recommendation).toBe("escalate");
      expect(decideVerdict(model, [denied, majorBug]).recommendation).toBe("escalate");
    }
    expect(decideVerdict("approve", [secret, denied]).reasons).toEqual([
      "deterministic checks found a credential in the diff and a change to a denied path",
    ]);
  });

  it("does not escalate for a model finding that merely has the category secret", () => {
    expect(decideVerdict("approve", [finding({ severity: "major", category: "secret" })]).recommendation).toBe("revise");
  });

  it("keeps the model's escalate, and escalates when there is no model answer", () => {
    expect(decideVerdict("escalate", []).recommendation).toBe("escalate");
    expect(decideVerdict("escalate", [majorBug]).recommendation).toBe("escalate");
    const none = decideVerdict(null, []);
    expect(none.recommendation).toBe("escalate");
    expect(none.reasons[0]).toBe("the auditor model gave no verdict");
  });

  it("escalates a change not read in full, whatever the model says", () => {
    for (const model of ["approve", "revise", "escalate"] as const) expect(decideVerdict(model, [], 2).recommendation).toBe("escalate");
    expect(decideVerdict("approve", [majorBug], 1)).toEqual({
      recommendation: "escalate",
      reasons: ["the Auditor could not read 1 changed file in full", "1 major finding must be fixed"],
    });
    expect(decideVerdict("approve", [], 0).recommendation).toBe("approve");
  });
});
