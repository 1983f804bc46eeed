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

/**
 * What a model request is for. The adapter sends it with each request (OpenAI's `X-Client-Request-Id`
 * header, see {@link purposeId}), so one request can be found in the server's logs and in ours.
 */
export interface LlmPurpose {
  runId: string;
  phaseId: string;
  /** The attempt of the phase's Builder or Auditor (1-based). */
  attempt: number;
  /** The step of that attempt: `files`, `edit` or `repair` for the Builder, `audit` for the Auditor. */
  step: string;
}

export interface StructuredRequest<T> {
  role: LlmRole;
  purpose: LlmPurpose;
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

const PURPOSE_PREFIX = "autopack:";
/** Keeps a part of the id ASCII, free of the separators, and short. */
const idPart = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);

/**
 * `autopack:<run>/<phase>/<role>/<attempt>/<step>`, e.g. `autopack:gh-7-12-1/P1/builder/2/edit`: ASCII
 * and short. The adapter appends `#<unique tag>` so that no two requests share an id.
 */
export function purposeId(role: LlmRole, purpose: LlmPurpose): string {
  const { runId, phaseId, attempt, step } = purpose;
  return `${PURPOSE_PREFIX}${[runId, phaseId, role, String(attempt), step].map(idPart).join("/")}`;
}

/** Reads an id written by {@link purposeId} (with or without its unique tag); null for anything else. */
export function parsePurposeId(id: string): (LlmPurpose & { role: LlmRole }) | null {
  if (!id.startsWith(PURPOSE_PREFIX)) return null;
  const parts = id.slice(PURPOSE_PREFIX.length).split("#")[0]!.split("/");
  if (parts.length !== 5) return null;
  const [runId = "", phaseId = "", role, attempt = "", step = ""] = parts;
  if ((role !== "builder" && role !== "auditor") || !/^\d+$/.test(attempt)) return null;
  return { runId, phaseId, role, attempt: Number(attempt), step };
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
