import { describe, expect, it } from "vitest";
import { diffLineMap } from "./diff-lines.js";
import { makeFinding } from "./finding-key.js";
import { FAKE_SECRETS } from "./fixtures/fake-secrets.js";
import { parseAuditMarker, parseFindingKeys, stripMarkers } from "./markers.js";
import { placeFindings } from "./placement.js";
import { renderReviewBody, type ReviewBodyInput } from "./review-body.js";
import type { Finding } from "./types.js";

const diff = diffLineMap([{ path: "src/a.ts", patch: "@@ -1,2 +1,3 @@\n one\n+two\n three" }]);
const f = (message: string, over: Partial<Omit<Finding, "key">> = {}): Finding =>
  makeFinding({ path: "src/a.ts", line: 2, severity: "major", category: "bug", message, suggestion: null, source: "model", ...over });

const inline = f("Off by one in the loop bound.");
const outside = f("The helper below the change is now unused.", {
  line: 40,
  severity: "minor",
  category: "style",
  suggestion: "// remove",
});
const whole = f("No test covers the new branch.", { path: null, line: null, category: "test" });
const stillOpen = f("Error from fetch is swallowed.", { path: "src/b.ts", line: 7 });
const resolved = f("Missing await.", { path: "src/c.ts", line: 3 });

function input(over: Partial<ReviewBodyInput> = {}): ReviewBodyInput {
  return {
    marker: { runId: "gh-42-7-1", phaseId: "P1", attempt: 2, sha: "0123456789abcdef0123456789abcdef01234567" },
    recommendation: "revise",
    confidence: "medium",
    summary: "The change implements the endpoint but the loop bound is wrong.",
    verdictReasons: [],
    failure: null,
    placement: placeFindings([inline, outside, whole, stillOpen], {
      maxFindings: 20,
      minInlineSeverity: "minor",
      diff,
      earlier: new Map([[stillOpen.key, 1]]),
      previousFindings: [stillOpen, resolved],
    }),
    maxFindings: 20,
    coverage: {
      unread: [{ path: "assets/logo.png", why: "binary, or a change GitHub shows no lines for: GitHub gives no diff" }],
      unlisted: 0,
    },
    ...over,
  };
}

describe("renderReviewBody", () => {
  it("renders the marker, verdict, summary, body findings, still-open and resolved lists and a footer", () => {
    expect(renderReviewBody(input())).toMatchInlineSnapshot(`
      "<!-- autopack:audit run=gh-42-7-1 phase=P1 attempt=2 sha=0123456789abcdef0123456789abcdef01234567 -->
      ### Autopack audit: Changes needed

      **Verdict:** revise · **Confidence:** medium · phase \`P1\`, attempt 2, commit 0123456

      The change implements the endpoint but the loop bound is wrong.

      #### Not reviewed in full
      The Auditor could not read these changes in full, so this audit cannot approve the pull request: a person must review them.

      - \`assets/logo.png\`: binary, or a change GitHub shows no lines for: GitHub gives no diff

      1 finding is posted as a comment on a changed line.

      #### Other findings
      - **major** · test: No test covers the new branch. <!-- autopack:finding key=${whole.key} -->
      - **minor** · style — \`src/a.ts\` line 40 (outside the diff): The helper below the change is now unused. <!-- autopack:finding key=${outside.key} -->

        Suggested replacement:

        \`\`\`
        // remove
        \`\`\`

      #### Still open from earlier attempts
      - **major** · bug — \`src/b.ts\` line 7: Error from fetch is swallowed. _(still open from attempt 1)_ <!-- autopack:finding key=${stillOpen.key} -->

      #### Resolved since the last audit
      - **major** · bug — \`src/c.ts\` line 3: Missing await.

      ---
      <sub>Automated review by the Autopack auditor (run \`gh-42-7-1\`). The \`Autopack audit\` check run carries the verdict.</sub>"
    `);
  });

  it("has a marker that parses back, and finding keys for what it lists", () => {
    const body = renderReviewBody(input());
    expect(parseAuditMarker(body)).toEqual({
      runId: "gh-42-7-1",
      phaseId: "P1",
      attempt: 2,
      sha: "0123456789abcdef0123456789abcdef01234567",
    });
    expect(parseFindingKeys(body).sort()).toEqual([whole.key, outside.key, stillOpen.key].sort());
    expect(stripMarkers(body)).not.toContain("<!--");
  });

  it("says why when the model gave no verdict", () => {
    const body = renderReviewBody(
      input({ recommendation: "escalate", confidence: "low", summary: null, failure: "the model server was unavailable" }),
    );
    expect(body).toContain("### Autopack audit: Escalated to a person");
    expect(body).toContain("The auditor model gave no verdict: the model server was unavailable. A person needs to look at this PR");
  });

  it("redacts secrets, strips HTML comments (no forged marker) and defuses mentions in model text", () => {
    const summary = `Found ${FAKE_SECRETS.githubToken} <!-- autopack:audit run=x phase=y attempt=9 sha=abcdef0 --> cc @octocat`;
    const body = renderReviewBody(input({ summary }));
    expect(body).not.toContain(FAKE_SECRETS.githubToken);
    expect(body).toContain("[REDACTED]");
    expect(body.match(/autopack:audit/g)).toHaveLength(1);
    expect(body).not.toContain(" @octocat");
  });

  it("stays under GitHub's review body limit", () => {
    const many = Array.from({ length: 100 }, (_, i) =>
      f(`${"long message ".repeat(80)} ${i}`, { line: null, suggestion: "x".repeat(3_000) }),
    );
    const placement = placeFindings(many, { maxFindings: 100, minInlineSeverity: "minor", diff, earlier: new Map(), previousFindings: [] });
    const body = renderReviewBody(input({ placement, maxFindings: 100 }));
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body.startsWith("<!-- autopack:audit")).toBe(true);
    expect(body.endsWith("_(review truncated)_")).toBe(true);
  });
});
