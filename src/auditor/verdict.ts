import { CHECK_CATEGORIES } from "./checks.js";
import type { Finding, Recommendation } from "./types.js";

/**
 * The verdict rule. The model proposes; the findings set a floor the verdict cannot go below:
 *
 * - A major finding is never tolerated: while one stands the verdict cannot be `approve`.
 * - A committed credential or a change to a denied path (workflows, `.env`, keys…) is `escalate`:
 *   a credential that reached GitHub must be revoked by a person, and Autopack itself never writes
 *   denied paths, so such a change did not come from a normal Builder attempt. Any other major
 *   finding (including a change outside a strict scope) is `revise`: the Builder can fix it.
 * - The model's `escalate` stays `escalate`; no model answer is needed to be stricter, and none
 *   can make the verdict laxer than the floor (an instruction hidden in the diff changes nothing).
 * - No model answer at all (`null`: the model failed) is `escalate`.
 * - A change the Auditor could not read in full (see coverage.ts: no diff from GitHub, cut for the
 *   prompt budget, not listed) is `escalate`, whatever the model says: its answer covers only what it
 *   saw, and no Builder attempt can make a binary file or a large diff readable; a person reviews what
 *   was not read (or raises `audit_context_tokens` and runs the audit again).
 */
export interface Verdict {
  recommendation: Recommendation;
  /** Why the verdict is stricter than the model's answer, for people; empty when it is not. */
  reasons: string[];
}

const RANK: Record<Recommendation, number> = { approve: 0, revise: 1, escalate: 2 };

const ESCALATING: ReadonlySet<string> = new Set([CHECK_CATEGORIES.secret, CHECK_CATEGORIES.deniedPath]);

/** The least strict verdict the findings allow. */
export function findingsFloor(findings: readonly Finding[]): { floor: Recommendation; reasons: string[] } {
  const majors = findings.filter((f) => f.severity === "major");
  const escalating = majors.filter((f) => f.source === "check" && ESCALATING.has(f.category));
  if (escalating.length > 0) {
    const kinds = [
      ...new Set(
        escalating.map((f) => (f.category === CHECK_CATEGORIES.secret ? "a credential in the diff" : "a change to a denied path")),
      ),
    ];
    return { floor: "escalate", reasons: [`deterministic checks found ${kinds.join(" and ")}`] };
  }
  if (majors.length > 0) {
    return { floor: "revise", reasons: [`${majors.length} major finding${majors.length === 1 ? "" : "s"} must be fixed`] };
  }
  return { floor: "approve", reasons: [] };
}

export function decideVerdict(model: Recommendation | null, findings: readonly Finding[], unread = 0): Verdict {
  const found = findingsFloor(findings);
  const { floor, reasons } =
    unread > 0
      ? {
          floor: "escalate" as const,
          reasons: [`the Auditor could not read ${unread === 1 ? "1 changed file" : `${unread} changed files`} in full`, ...found.reasons],
        }
      : found;
  if (model === null) return { recommendation: "escalate", reasons: ["the auditor model gave no verdict", ...reasons] };
  if (RANK[floor] > RANK[model]) return { recommendation: floor, reasons };
  return { recommendation: model, reasons: [] };
}
