import type { AuditConclusion } from "../github/door.js";
import type { Placement } from "./placement.js";
import { forMarkdownBody, forMarkdownLine } from "../policy/outbound.js";
import type { Coverage } from "./coverage.js";
import { findingLine, unreadLines, VERDICT_TITLES } from "./review-body.js";
import type { Confidence, Recommendation } from "./types.js";

/** What the `Autopack audit` check run says once the audit is done. */
export interface CheckOutput {
  conclusion: AuditConclusion;
  title: string;
  summary: string;
  text: string;
}

export interface CheckOutputInput {
  recommendation: Recommendation;
  confidence: Confidence;
  summary: string | null;
  verdictReasons: readonly string[];
  failure: string | null;
  placement: Placement;
  coverage: Coverage;
}

export function checkTitle(recommendation: Recommendation, placement: Placement): string {
  if (recommendation !== "revise") return VERDICT_TITLES[recommendation];
  const count = (severity: string) => placement.shown.filter((f) => f.severity === severity).length;
  const parts = [`${count("major")} major`, `${count("minor")} minor`].filter((p) => !p.startsWith("0 "));
  return parts.length > 0 ? `${VERDICT_TITLES.revise}: ${parts.join(", ")}` : VERDICT_TITLES.revise;
}

export function checkOutput(input: CheckOutputInput): CheckOutput {
  const summary = [`**Verdict:** ${input.recommendation} (confidence ${input.confidence})`];
  if (input.failure !== null) summary.push(`The auditor model gave no verdict: ${forMarkdownLine(input.failure)}.`);
  else if (input.verdictReasons.length > 0)
    summary.push(`Stricter than the model's answer: ${input.verdictReasons.map((r) => forMarkdownLine(r)).join("; ")}.`);
  const modelSummary = input.summary === null ? "" : forMarkdownBody(input.summary);
  if (modelSummary !== "") summary.push(modelSummary);

  const { placement } = input;
  const text: string[] = [];
  const unread = unreadLines(input.coverage);
  if (unread.length > 0) text.push("### Not reviewed in full", ...unread, "");
  if (placement.shown.length > 0) text.push("### Findings", ...placement.shown.map((f) => findingLine(f)));
  if (placement.omitted > 0) text.push("", `_${placement.omitted} more not reported (\`audit.max_findings\`)._`);
  if (placement.resolved.length > 0) text.push("", "### Resolved since the last audit", ...placement.resolved.map((f) => findingLine(f)));
  return {
    conclusion: input.recommendation === "approve" ? "success" : "failure",
    title: checkTitle(input.recommendation, placement),
    summary: summary.join("\n\n"),
    text: text.join("\n"),
  };
}
