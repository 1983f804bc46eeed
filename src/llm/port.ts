import type { z } from "zod";

export type LlmRole = "builder" | "auditor";

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Tokens a caller may still spend. Shared by every call of one phase attempt; a call whose estimate
 * does not fit is never made.
 */
export interface TokenBudget {
  readonly remaining: number;
  spend(tokens: number): void;
}

export interface StructuredRequest<T> {
  role: LlmRole;
  /** Trusted instructions. */
  system: string;
  /** The task, with every untrusted part already inside `untrustedBlock(...)`. */
  user: string;
  schema: z.ZodType<T>;
  /** Name of the JSON schema sent to the server (letters, digits, `_`). */
  schemaName: string;
  /** Upper bound on completion tokens. */
  maxOutputTokens: number;
  budget: TokenBudget;
}

export interface StructuredResponse<T> {
  value: T;
  usage: TokenUsage;
  model: string;
}

/** The port the Builder and Auditor talk to; the OpenAI adapter and test fakes implement it. */
export interface LlmPort {
  complete<T>(request: StructuredRequest<T>): Promise<StructuredResponse<T>>;
}

/** The call was not made: it would not fit in the remaining budget. */
export class LlmBudgetExceededError extends Error {
  override readonly name = "LlmBudgetExceededError";
  constructor(
    readonly needed: number,
    readonly remaining: number,
  ) {
    super(`token budget exhausted: the call needs about ${needed} tokens and ${remaining} remain`);
  }
}

/** The model answered, twice, with output that does not match the schema. */
export class LlmOutputInvalidError extends Error {
  override readonly name = "LlmOutputInvalidError";
  constructor(
    message: string,
    readonly usage: TokenUsage,
  ) {
    super(message);
  }
}

/** The server could not be reached or kept failing after retries. */
export class LlmUnavailableError extends Error {
  override readonly name = "LlmUnavailableError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
