import type { PatchLines } from "./diff-lines.js";
import { findingMarker } from "./markers.js";
import { findingLabel } from "./review-body.js";
import { codeSpan, fenceFor, forCodeBlock, forMarkdownBody, forMarkdownLine, redactSecrets } from "../policy/outbound.js";
import type { Finding } from "./types.js";

/** An inline review comment, as `POST /pulls/{n}/reviews` takes it. */
export interface InlineComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

/** A suggestion GitHub can apply: one line of replacement text for the commented line. */
export function singleLineSuggestion(f: Finding): string | null {
  if (f.suggestion === null) return null;
  const text = forCodeBlock(f.suggestion).replace(/\n$/, "");
  return text.includes("\n") || text.length > 1_000 ? null : text;
}

/** Comments for findings already known to sit on a diff line (see `placeFindings`). */
export function inlineComments(findings: readonly Finding[]): InlineComment[] {
  return findings.flatMap((f) => {
    if (f.path === null || f.line === null) return [];
    const lines = [findingLabel(f), "", forMarkdownBody(f.message, 4_000)];
    const single = singleLineSuggestion(f);
    if (single !== null) {
      const fence = fenceFor(single);
      lines.push("", `${fence}suggestion`, single, fence);
    } else if (f.suggestion !== null) {
      const text = forCodeBlock(f.suggestion, 4_000);
      const fence = fenceFor(text);
      if (text.trim() !== "") lines.push("", "Suggested change:", "", fence, text, fence);
    }
    lines.push("", findingMarker(f.key));
    return [{ path: f.path, line: f.line, side: "RIGHT" as const, body: lines.join("\n") }];
  });
}

export interface SuggestedPatch {
  description: string;
  patch_content: string;
  files_affected: string[];
}

/**
 * Findings with a one-line suggestion on a line whose head text the diff shows, as unified diffs
 * replacing that one line (`auditor_result.suggested_patches`).
 */
export function suggestedPatches(findings: readonly Finding[], lines: ReadonlyMap<string, PatchLines>): SuggestedPatch[] {
  return findings.flatMap((f) => {
    const replacement = singleLineSuggestion(f);
    if (replacement === null || f.path === null || f.line === null) return [];
    const original = lines.get(f.path)?.text.get(f.line);
    // A line holding a credential is not repeated anywhere, not even in a patch.
    if (original === undefined || original === replacement || redactSecrets(original) !== original) return [];
    const patch = [
      `diff --git a/${f.path} b/${f.path}`,
      `--- a/${f.path}`,
      `+++ b/${f.path}`,
      `@@ -${f.line},1 +${f.line},1 @@`,
      `-${original}`,
      `+${replacement}`,
      "",
    ].join("\n");
    return [
      {
        description: `${codeSpan(f.path)} line ${f.line}: ${forMarkdownLine(f.message, 300)}`,
        patch_content: patch,
        files_affected: [f.path],
      },
    ];
  });
}
