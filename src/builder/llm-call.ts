import type { z } from "zod";
import { countTokens } from "../llm/tokens.js";
import {
  LlmBudgetExceededError,
  LlmOutputInvalidError,
  LlmUnavailableError,
  type LlmPort,
  type LlmPurpose,
  type TokenBudget,
} from "../llm/port.js";
import { forErrorNote } from "../policy/outbound.js";
import { BuildFailure } from "./failure.js";

/** Tokens spent by one attempt, every call counted, failed ones included. */
export interface TokenMeter {
  used: number;
}

export interface ModelStep<T> {
  /** Named in failure notes, e.g. "file selection step". */
  step: string;
  /** What the request is for, sent with it. */
  purpose: LlmPurpose;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  schemaName: string;
  /** Completion tokens wanted; fewer are asked for when the budget is short, down to `minOutputTokens`. */
  maxOutputTokens: number;
  minOutputTokens: number;
}

/** Room for the JSON schema and message framing the server adds to a prompt. */
const REQUEST_OVERHEAD = 300;

/**
 * One structured call. Expected failures become a {@link BuildFailure}; a call that would not fit in
 * the budget is not made.
 */
export async function callModel<T>(llm: LlmPort, budget: TokenBudget, meter: TokenMeter, step: ModelStep<T>): Promise<T> {
  const promptTokens = countTokens(step.system) + countTokens(step.user) + REQUEST_OVERHEAD;
  const remaining = budget.remaining;
  if (remaining < promptTokens + step.minOutputTokens) {
    throw new BuildFailure(
      `token budget exhausted before the call: the ${step.step} needs about ${promptTokens + step.minOutputTokens} tokens and ${remaining} remain`,
    );
  }
  try {
    const response = await llm.complete({
      role: "builder",
      purpose: step.purpose,
      system: step.system,
      user: step.user,
      schema: step.schema,
      schemaName: step.schemaName,
      maxOutputTokens: Math.min(step.maxOutputTokens, remaining - promptTokens),
      budget,
    });
    meter.used += response.usage.total_tokens;
    return response.value;
  } catch (error) {
    if (error instanceof LlmBudgetExceededError) {
      throw new BuildFailure(
        `token budget exhausted before the call: the ${step.step} needs about ${error.needed} tokens and ${error.remaining} remain`,
      );
    }
    if (error instanceof LlmOutputInvalidError) {
      meter.used += error.usage.total_tokens;
      throw new BuildFailure(`the model's answer to the ${step.step} was invalid: ${forErrorNote(error.message)}`);
    }
    if (error instanceof LlmUnavailableError) {
      const refused = error.status === 401 || error.status === 403 || error.status === 404;
      throw new BuildFailure(`the LLM was unavailable during the ${step.step}: ${forErrorNote(error.message)}`, refused);
    }
    throw error;
  }
}
