import { auditMarker, findingMarker, type AuditMarker } from "./markers.js";
import type { Placement } from "./placement.js";
import { codeSpan, cut, fenceFor, forCodeBlock, forCodeSpan, forMarkdownBody, forMarkdownLine } from "../policy/outbound.js";
import { readInFull, type Coverage } from "./coverage.js";
import type { Confidence, Finding, Recommendation } from "./types.js";

/** GitHub refuses review bodies over 65,536 characters; stay below with room for the marker. */
export const MAX_REVIEW_BODY = 65_000;

export interface ReviewBodyInput {
  marker: AuditMarker;
  recommendation: Recommendation;
  confidence: Confidence;
  /** The model's summary (untrusted; sanitised here), or null when the model gave none. */
  summary: string | null;
  /** Why the verdict is stricter than the model's answer. */
  verdictReasons: readonly string[];
  /** Why the model gave no verdict (budget, invalid output, unavailable), or null. */
  failure: string | null;
  placement: Placement;
  maxFindings: number;
  /** What the Auditor could not read in full (the verdict is then at most `escalate`). */
  coverage: Coverage;
}

export const VERDICT_TITLES: Record<Recommendation, string> = {
  approve: "Approved",
  revise: "Changes needed",
  escalate: "Escalated to a person",
};

/** "**major** · bug", with "· check" for a deterministic check's finding. */
export function findingLabel(f: Finding): string {
  return `**${f.severity}** · ${forMarkdownLine(f.category, 60)}${f.source === "check" ? " · check" : ""}`;
}

/** One finding as a Markdown list item (no hidden key marker). */
export function findingLine(f: Finding, extra = ""): string {
  const where = f.path === null ? "" : ` — ${forCodeSpan(f.path, 300)}${f.line === null ? "" : ` line ${f.line}`}`;
  return `- ${findingLabel(f)}${where}${extra}: ${forMarkdownLine(f.message)}`;
}

function suggestionBlock(f: Finding): string[] {
  if (f.suggestion === null) return [];
  const text = cut(forCodeBlock(f.suggestion).replace(/\n+$/, ""), 2_000);
  if (text.trim() === "") return [];
  const fence = fenceFor(text);
  return ["", "  Suggested replacement:", "", `  ${fence}`, ...text.split("\n").map((l) => `  ${l}`), `  ${fence}`];
}

const MAX_UNREAD_LINES = 50;

/** What the Auditor could not read in full, as Markdown lines (none when it read everything). */
export function unreadLines(coverage: Coverage): string[] {
  if (readInFull(coverage)) return [];
  const lines = [
    "The Auditor could not read these changes in full, so this audit cannot approve the pull request: a person must review them.",
    "",
    ...coverage.unread.slice(0, MAX_UNREAD_LINES).map((u) => `- ${forCodeSpan(u.path, 300)}: ${forMarkdownLine(u.why)}`),
  ];
  const more = coverage.unread.length - MAX_UNREAD_LINES;
  if (more > 0) lines.push(`- and ${more} more`);
  if (coverage.unlisted > 0)
    lines.push(
      `- ${coverage.unlisted} more changed file${coverage.unlisted === 1 ? "" : "s"} that GitHub did not list (it lists at most 3,000)`,
    );
  return lines;
}

export function renderReviewBody(input: ReviewBodyInput): string {
  const { marker, placement } = input;
  const out: string[] = [auditMarker(marker), `### Autopack audit: ${VERDICT_TITLES[input.recommendation]}`, ""];
  out.push(
    `**Verdict:** ${input.recommendation} · **Confidence:** ${input.confidence} · phase ${codeSpan(marker.phaseId)}, ` +
      `attempt ${marker.attempt}, commit ${marker.sha.slice(0, 7)}`,
  );
  if (input.failure !== null) {
    out.push(
      "",
      `The auditor model gave no verdict: ${forMarkdownLine(input.failure)}. A person needs to look at this PR; the deterministic checks below still ran.`,
    );
  }
  if (input.verdictReasons.length > 0 && input.failure === null) {
    out.push("", `The verdict is stricter than the model's answer: ${input.verdictReasons.map((r) => forMarkdownLine(r)).join("; ")}.`);
  }
  const summary = input.summary === null ? "" : forMarkdownBody(input.summary, 8_000);
  if (summary !== "") out.push("", summary);
  const unread = unreadLines(input.coverage);
  if (unread.length > 0) out.push("", "#### Not reviewed in full", ...unread);

  const inline = placement.inline.length;
  if (inline > 0)
    out.push(
      "",
      inline === 1
        ? "1 finding is posted as a comment on a changed line."
        : `${inline} findings are posted as comments on the changed lines.`,
    );

  if (placement.body.length > 0) {
    out.push("", inline > 0 ? "#### Other findings" : "#### Findings");
    for (const { finding, reason } of placement.body) {
      const where = reason === "not-on-diff" ? " (outside the diff)" : "";
      out.push(`${findingLine(finding, where)} ${findingMarker(finding.key)}`, ...suggestionBlock(finding));
    }
  }
  if (placement.stillOpen.length > 0) {
    out.push("", "#### Still open from earlier attempts");
    for (const { finding, since } of placement.stillOpen) {
      const from = since === null ? "still open from an earlier attempt" : `still open from attempt ${since}`;
      out.push(`${findingLine(finding)} _(${from})_ ${findingMarker(finding.key)}`);
    }
  }
  if (placement.omitted > 0) {
    out.push(
      "",
      `_${placement.omitted} more finding${placement.omitted === 1 ? " was" : "s were"} left out: at most ${input.maxFindings} are reported (\`audit.max_findings\`), majors first._`,
    );
  }
  if (placement.resolved.length > 0) {
    out.push("", "#### Resolved since the last audit");
    for (const f of placement.resolved) out.push(findingLine(f));
  }
  out.push(
    "",
    "---",
    `<sub>Automated review by the Autopack auditor (run ${codeSpan(marker.runId)}). The \`Autopack audit\` check run carries the verdict.</sub>`,
  );
  return cut(out.join("\n"), MAX_REVIEW_BODY, "\n\n_(review truncated)_");
}
