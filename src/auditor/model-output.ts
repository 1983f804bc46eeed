import { z } from "zod";
import { sanitiseUntrusted } from "../policy/untrusted.js";
import { makeFinding } from "./finding-key.js";
import type { Finding } from "./types.js";

/**
 * What the auditor model answers. Every field is required (nullable where it may be absent), as
 * OpenAI structured output demands.
 */
export const AuditModelOutputSchema = z.object({
  recommendation: z.enum(["approve", "revise", "escalate"]),
  confidence: z.enum(["low", "medium", "high"]),
  summary: z.string(),
  findings: z.array(
    z.object({
      path: z.string().nullable(),
      line: z.number().int().nullable(),
      severity: z.enum(["minor", "major"]),
      category: z.string(),
      message: z.string(),
      suggestion: z.string().nullable(),
    }),
  ),
});

export type AuditModelOutput = z.infer<typeof AuditModelOutputSchema>;

/**
 * The model's findings as `Finding`s: text sanitised (a quoted secret is redacted before it goes
 * anywhere), paths without a leading `./` or `/`, non-positive lines dropped, empty ones removed.
 */
export function modelFindings(output: AuditModelOutput): Finding[] {
  return output.findings.flatMap((f) => {
    const message = sanitiseUntrusted(f.message).trim();
    if (message === "") return [];
    const path = f.path === null ? null : f.path.trim().replace(/^(?:\.\/|\/)+/, "") || null;
    const line = f.line !== null && f.line > 0 && path !== null ? f.line : null;
    const category = f.category.trim().toLowerCase().replace(/\s+/g, "-").slice(0, 40) || "general";
    const suggestion = f.suggestion !== null && f.suggestion.trim() !== "" ? sanitiseUntrusted(f.suggestion) : null;
    return [makeFinding({ path, line, severity: f.severity, category, message, suggestion, source: "model" })];
  });
}
