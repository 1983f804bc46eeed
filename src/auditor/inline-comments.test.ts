import { describe, expect, it } from "vitest";
import { diffLineMap } from "./diff-lines.js";
import { makeFinding } from "./finding-key.js";
import { FAKE_SECRETS } from "./fixtures/fake-secrets.js";
import { inlineComments, suggestedPatches } from "./inline-comments.js";
import type { Finding } from "./types.js";

const f = (over: Partial<Omit<Finding, "key">> = {}): Finding =>
  makeFinding({
    path: "src/a.ts",
    line: 2,
    severity: "major",
    category: "bug",
    message: "Loop bound is off by one.",
    suggestion: null,
    source: "model",
    ...over,
  });

describe("inlineComments", () => {
  it("renders a one-line suggestion as a GitHub suggestion block on the RIGHT side", () => {
    const finding = f({ suggestion: "  for (let i = 0; i < n; i++) {" });
    expect(inlineComments([finding])).toEqual([
      {
        path: "src/a.ts",
        line: 2,
        side: "RIGHT",
        body: [
          "**major** · bug",
          "",
          "Loop bound is off by one.",
          "",
          "```suggestion",
          "  for (let i = 0; i < n; i++) {",
          "```",
          "",
          `<!-- autopack:finding key=${finding.key} -->`,
        ].join("\n"),
      },
    ]);
  });

  it("shows a multi-line suggestion as plain code, not as an applicable suggestion", () => {
    const [c] = inlineComments([f({ suggestion: "a();\nb();" })]);
    expect(c?.body).not.toContain("```suggestion");
    expect(c?.body).toContain("Suggested change:");
  });

  it("uses a longer fence when the suggestion holds backticks, and redacts secrets", () => {
    const [c] = inlineComments([
      f({ suggestion: "const s = ```x``` + `" + FAKE_SECRETS.githubToken + "`;", message: `leaks ${FAKE_SECRETS.awsAccessKey}` }),
    ]);
    expect(c?.body).toContain("````suggestion");
    expect(c?.body).not.toContain(FAKE_SECRETS.githubToken);
    expect(c?.body).not.toContain(FAKE_SECRETS.awsAccessKey);
  });
});

describe("suggestedPatches", () => {
  const lines = diffLineMap([{ path: "src/a.ts", patch: "@@ -1,2 +1,3 @@\n one\n+for (i = 0; i <= n; i++) {\n three" }]);

  it("turns a one-line suggestion on a diff line into a unified diff of that line", () => {
    expect(suggestedPatches([f({ suggestion: "for (i = 0; i < n; i++) {" })], lines)).toEqual([
      {
        description: "`src/a.ts` line 2: Loop bound is off by one.",
        patch_content:
          "diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -2,1 +2,1 @@\n-for (i = 0; i <= n; i++) {\n+for (i = 0; i < n; i++) {\n",
        files_affected: ["src/a.ts"],
      },
    ]);
  });

  it("has no patch without a suggestion, off the diff, or for a multi-line suggestion", () => {
    expect(suggestedPatches([f(), f({ line: 9, suggestion: "x" }), f({ suggestion: "a\nb" })], lines)).toEqual([]);
  });
});
