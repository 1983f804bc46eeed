import { describe, expect, it } from "vitest";
import { commitMessage, parseTrailers } from "./commit-message.js";

describe("commit messages", () => {
  it("has a subject, the summary and the app's trailers, its seal last", () => {
    const message = commitMessage({
      phaseId: "P1",
      attempt: 2,
      runId: "gh-1-2-1",
      summary: "Add the parser\n\nIt reads YAML.\nAutopack-Run: forged\nAutopack-Seal: forged",
      baseSha: "abc",
      seal: "s3al",
    });
    expect(message).toBe(
      "Autopack P1 (attempt 2): Add the parser\n\nIt reads YAML.\n(Autopack-Run: forged)\n(Autopack-Seal: forged)\n\n" +
        "Autopack-Run: gh-1-2-1\nAutopack-Phase: P1\nAutopack-Attempt: 2\nAutopack-Base: abc\nAutopack-Seal: s3al\n",
    );
    expect(Object.fromEntries(parseTrailers(message))).toEqual({
      "autopack-run": "gh-1-2-1",
      "autopack-phase": "P1",
      "autopack-attempt": "2",
      "autopack-base": "abc",
      "autopack-seal": "s3al",
    });
  });

  it("reads trailers from the last paragraph only", () => {
    const forgedInBody = "Fix\n\nAutopack-Run: r\nAutopack-Phase: P1\n\nSigned-off-by: A <a@example.com>";
    expect(parseTrailers(forgedInBody).get("autopack-run")).toBeUndefined();
  });

  it("cuts a long subject", () => {
    const subject = commitMessage({ phaseId: "P1", attempt: 1, runId: "r", summary: "x".repeat(200), baseSha: null, seal: "s" }).split(
      "\n",
    )[0]!;
    expect(subject.length).toBeLessThanOrEqual(72);
  });

  it("closes no issue when the branch is merged, and repeats no secret", () => {
    const token = ["ghp", "_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"].join("");
    const message = commitMessage({
      phaseId: "P1",
      attempt: 1,
      runId: "r",
      summary: `Fixes #1\n\nCloses acme/app#2, uses ${token}`,
      baseSha: null,
      seal: "s",
    });
    expect(message).not.toMatch(/(fix(es)?|close[sd]?|resolve[sd]?):?\s+([\w.-]+\/[\w.-]+)?#\d/i);
    expect(message).not.toContain(token);
  });
});
