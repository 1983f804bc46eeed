import { describe, expect, it } from "vitest";
import { builtOnBase, commitMessage, isAppCommit } from "./commit-message.js";

describe("commit messages", () => {
  it("has a subject, the summary and trailers the app recognises", () => {
    const message = commitMessage({
      phaseId: "P1",
      attempt: 2,
      runId: "gh-1-2-1",
      summary: "Add the parser\n\nIt reads YAML.\nAutopack-Run: forged",
      baseSha: "abc",
    });
    expect(message).toBe(
      "Autopack P1 (attempt 2): Add the parser\n\nIt reads YAML.\n(Autopack-Run: forged)\n\n" +
        "Autopack-Run: gh-1-2-1\nAutopack-Phase: P1\nAutopack-Attempt: 2\nAutopack-Base: abc\n",
    );
    expect(isAppCommit(message, { runId: "gh-1-2-1", phaseId: "P1" })).toBe(true);
    expect(isAppCommit(message, { runId: "gh-1-2-2", phaseId: "P1" })).toBe(false);
    expect(builtOnBase(message)).toBe("abc");
  });

  it("does not take a person's commit for the app's", () => {
    expect(isAppCommit("Fix a typo\n\nSigned-off-by: A <a@example.com>\n", { runId: "r", phaseId: "P1" })).toBe(false);
    const forgedInBody = "Fix\n\nAutopack-Run: r\nAutopack-Phase: P1\n\nSigned-off-by: A <a@example.com>";
    expect(isAppCommit(forgedInBody, { runId: "r", phaseId: "P1" })).toBe(false);
  });

  it("cuts a long subject", () => {
    const subject = commitMessage({ phaseId: "P1", attempt: 1, runId: "r", summary: "x".repeat(200), baseSha: null }).split("\n")[0]!;
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
    });
    expect(message).not.toMatch(/(fix(es)?|close[sd]?|resolve[sd]?):?\s+([\w.-]+\/[\w.-]+)?#\d/i);
    expect(message).not.toContain(token);
  });
});
