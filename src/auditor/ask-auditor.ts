import {
  LlmBudgetExceededError,
  LlmOutputInvalidError,
  LlmUnavailableError,
  type LlmPort,
  type LlmPurpose,
  type TokenBudget,
} from "../llm/port.js";
import type { AuditPrompt } from "./audit-prompt.js";
import { AuditModelOutputSchema, type AuditModelOutput } from "./model-output.js";

export interface AuditorAnswer {
  /** The model's answer, or null when it gave none. */
  output: AuditModelOutput | null;
  /** Why there is no answer (for people), or null. */
  failure: string | null;
  tokensUsed: number;
}

/** Room for the answer: a summary and up to `maxFindings` findings with suggestions. */
export function auditOutputTokens(maxFindings: number): number {
  return Math.min(8_192, 1_024 + 200 * Math.max(1, maxFindings));
}

/**
 * One structured call to the auditor model. The three ways a model call fails by design (budget
 * exhausted, invalid output, server unavailable) become an answer-less result; anything else is a
 * bug and is thrown.
 */
export async function askAuditor(
  llm: LlmPort,
  budget: TokenBudget,
  prompt: AuditPrompt,
  maxFindings: number,
  trace: Omit<LlmPurpose, "step">,
): Promise<AuditorAnswer> {
  try {
    const response = await llm.complete({
      role: "auditor",
      purpose: { ...trace, step: "audit" },
      system: prompt.system,
      user: prompt.user,
      schema: AuditModelOutputSchema,
      schemaName: "autopack_audit",
      maxOutputTokens: auditOutputTokens(maxFindings),
      budget,
    });
    return { output: response.value, failure: null, tokensUsed: response.usage.total_tokens };
  } catch (error) {
    if (error instanceof LlmBudgetExceededError) {
      return {
        output: null,
        failure: `the phase's token budget is exhausted (the audit needs about ${error.needed} tokens, ${error.remaining} remain)`,
        tokensUsed: 0,
      };
    }
    if (error instanceof LlmOutputInvalidError) {
      return { output: null, failure: "the model's answer did not match the expected format", tokensUsed: error.usage.total_tokens };
    }
    if (error instanceof LlmUnavailableError) {
      return {
        output: null,
        failure: `the model server was unavailable${error.status !== undefined ? ` (HTTP ${error.status})` : ""}`,
        tokensUsed: 0,
      };
    }
    throw error;
  }
}
