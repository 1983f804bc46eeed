import { isOnDiff, type DiffLineMap } from "./diff-lines.js";
import { compareFindings } from "./finding-key.js";
import type { Finding, Severity } from "./types.js";

/**
 * Noise control: which findings are shown, which become inline comments and which are only listed
 * in the review body.
 */
export interface PlacementOptions {
  /** `audit.max_findings`: at most this many findings are reported (majors first). */
  maxFindings: number;
  /** `audit.min_inline_severity`: less severe findings are listed in the body only. */
  minInlineSeverity: Severity;
  diff: DiffLineMap;
  /** Keys reported by earlier attempts, with the attempt that first reported each (null when unknown). */
  earlier: ReadonlyMap<string, number | null>;
  /** Findings of earlier attempts: those no longer present are listed as resolved. */
  previousFindings: readonly Finding[];
}

export type BodyReason = "no-line" | "not-on-diff" | "below-inline-severity" | "inline-refused";

export interface Placement {
  /** The reported findings, after the cap, in order. */
  shown: Finding[];
  /** Findings left out by the cap. */
  omitted: number;
  /** New findings posted as inline comments. */
  inline: Finding[];
  /** New findings listed in the body, with why they are not inline. */
  body: { finding: Finding; reason: BodyReason }[];
  /** Findings already reported by an earlier attempt and still present: referred to, not posted again. */
  stillOpen: { finding: Finding; since: number | null }[];
  /** Findings of earlier attempts no longer present. */
  resolved: Finding[];
}

const RANK: Record<Severity, number> = { minor: 0, major: 1 };

export function placeFindings(findings: readonly Finding[], options: PlacementOptions): Placement {
  const sorted = [...findings].sort(compareFindings);
  const cap = Math.max(0, Math.floor(options.maxFindings));
  const shown = sorted.slice(0, cap);
  const placement: Placement = {
    shown,
    omitted: sorted.length - shown.length,
    inline: [],
    body: [],
    stillOpen: [],
    resolved: [],
  };
  for (const finding of shown) {
    if (options.earlier.has(finding.key)) {
      placement.stillOpen.push({ finding, since: options.earlier.get(finding.key) ?? null });
    } else if (RANK[finding.severity] < RANK[options.minInlineSeverity]) {
      placement.body.push({ finding, reason: "below-inline-severity" });
    } else if (isOnDiff(options.diff, finding.path, finding.line)) {
      placement.inline.push(finding);
    } else {
      placement.body.push({ finding, reason: finding.path === null || finding.line === null ? "no-line" : "not-on-diff" });
    }
  }
  const present = new Set(findings.map((f) => f.key));
  const resolvedKeys = new Set<string>();
  for (const previous of options.previousFindings) {
    if (present.has(previous.key) || resolvedKeys.has(previous.key)) continue;
    resolvedKeys.add(previous.key);
    placement.resolved.push(previous);
  }
  return placement;
}

/** The same placement with every inline finding moved to the body (GitHub refused the inline comments). */
export function withoutInline(placement: Placement): Placement {
  return {
    ...placement,
    inline: [],
    body: [...placement.inline.map((finding) => ({ finding, reason: "inline-refused" as const })), ...placement.body],
  };
}
