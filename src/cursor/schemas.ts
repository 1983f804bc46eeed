import { z } from "zod";

/**
 * What Autopack reads of Cursor's Cloud Agents API (v1: a durable agent, one run per prompt). Only
 * the fields it uses are checked; anything else Cursor adds is ignored.
 */

/** A run's statuses; FINISHED, ERROR, CANCELLED and EXPIRED are final. */
export const RUN_STATUSES = ["CREATING", "RUNNING", "FINISHED", "ERROR", "CANCELLED", "EXPIRED"] as const;
export const FINAL_RUN_STATUSES: ReadonlySet<string> = new Set(["FINISHED", "ERROR", "CANCELLED", "EXPIRED"]);

export const CursorRunSchema = z.object({
  id: z.string().min(1),
  /** One of {@link RUN_STATUSES}; a status Cursor adds later is read as "still going". */
  status: z.string().min(1),
  /** The agent's final reply, once the run is over. */
  result: z.string().nullish(),
  /** v0's name for the same text. */
  summary: z.string().nullish(),
  createdAt: z.string().nullish(),
});
export type CursorRun = z.infer<typeof CursorRunSchema>;

export const CursorAgentSchema = z.object({
  id: z.string().min(1),
  latestRunId: z.string().nullish(),
  createdAt: z.string().nullish(),
});
export type CursorAgent = z.infer<typeof CursorAgentSchema>;

export const CreatedAgentSchema = z.object({ agent: CursorAgentSchema, run: CursorRunSchema });
export const CreatedRunSchema = z.object({ run: CursorRunSchema });

const TokenCount = z.number().int().nonnegative().nullish();
export const UsageSchema = z.object({
  runs: z
    .array(
      z.object({
        runId: z.string().nullish(),
        usage: z.object({ inputTokens: TokenCount, outputTokens: TokenCount, totalTokens: TokenCount }).nullish(),
      }),
    )
    .default([]),
});

/** Cursor's error body: `{ "error": "...", "message": "..." }` (either may be missing). */
export const ErrorBodySchema = z.object({
  error: z.string().nullish(),
  code: z.string().nullish(),
  message: z.string().nullish(),
});
