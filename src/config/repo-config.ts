import { z } from "zod";
import { globProblem } from "../policy/glob.js";
import { DEFAULT_DENIED_PATHS } from "../policy/path-policy.js";

/** A glob the path matcher takes; anything else is refused with the reason. */
const Glob = z
  .string()
  .min(1)
  .superRefine((glob, ctx) => {
    const problem = globProblem(glob);
    if (problem !== null) ctx.addIssue({ code: "custom", message: `is a glob Autopack cannot use: it ${problem}` });
  });

const BudgetOverride = z
  .object({
    builder_attempts: z.number().int().min(1).max(10),
    auditor_attempts: z.number().int().min(1).max(10),
    token_cap: z.number().int().positive(),
  })
  .partial()
  .strict();

const ModelPrice = z
  .object({
    input_per_million: z.number().nonnegative(),
    output_per_million: z.number().nonnegative(),
  })
  .strict();

/** `.github/autopack.yml`, read from the default branch only. Every field has a default. */
export const RepoConfigSchema = z
  .object({
    /** The label that starts a run. */
    label: z.string().min(1).max(50).default("autopack"),
    /** Branch the phase PRs target; the repository's default branch when unset. */
    base: z.string().min(1).optional(),
    /** Open phase PRs as drafts. */
    draft: z.boolean().default(false),
    /** Merge approved phase PRs (squash) instead of waiting for people to merge them. */
    auto_merge: z.boolean().default(false),
    /** Phases of one tier built at the same time. */
    max_parallel_phases: z.number().int().min(1).max(10).default(3),
    /** Builder backend: the built-in LLM Builder, or Cursor's Cloud Agents (`CURSOR_API_KEY` in the app's environment). */
    builder: z.enum(["llm", "cursor"], { error: 'must be "llm" (the built-in Builder) or "cursor" (Cursor Cloud Agents)' }).default("llm"),
    /** Prompt-token budget for a Builder's context. */
    context_tokens: z.number().int().min(2_000).max(1_000_000).default(60_000),
    /** Prompt-token budget for an Auditor's context. */
    audit_context_tokens: z.number().int().min(2_000).max(1_000_000).default(60_000),
    /**
     * Globs the app never writes, added to the default ones (secret-like files), which always apply;
     * the parsed value holds both. Protected paths (`.github/workflows/**`, CODEOWNERS, …) are
     * denied on top of these whatever the file says.
     */
    denied_paths: z
      .array(Glob)
      .max(100)
      .default([])
      .transform((extra) => [...new Set([...DEFAULT_DENIED_PATHS, ...extra])]),
    /** Refuse edits outside a phase's `scope`. */
    scope_strict: z.boolean().default(false),
    allow_executable_changes: z.boolean().default(false), // push changes to files that run in CI or on install (src/policy/executable-files.ts)
    audit: z
      .object({
        max_findings: z.number().int().min(1).max(100).default(20),
        min_inline_severity: z.enum(["minor", "major"]).default("minor"),
      })
      .strict()
      .default({ max_findings: 20, min_inline_severity: "minor" }),
    ci: z
      .object({
        /** Wait for the repository's own checks before auditing. */
        wait: z.boolean().default(true),
        timeout_minutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(60),
      })
      .strict()
      .default({ wait: true, timeout_minutes: 60 }),
    /** Per task_category overrides of the playbook budgets; the key `default` covers unknown categories. */
    budgets: z.record(z.string(), BudgetOverride).default({}),
    /** Price per million tokens, by model name, for the cost estimate. */
    prices: z.record(z.string(), ModelPrice).default({}),
    /** Every run waits, after its first status comment, for `/autopack approve` from writers. */
    require_plan_approval: z.boolean().default(false),
    /** How many different writers must approve a run when `require_plan_approval` is on. */
    approvals: z.number().int().min(1).max(10).default(1),
  })
  .strict();

export type RepoConfig = z.infer<typeof RepoConfigSchema>;

export const DEFAULT_REPO_CONFIG: RepoConfig = RepoConfigSchema.parse({});

export type RepoConfigResult = { ok: true; config: RepoConfig } | { ok: false; problems: string[] };

/** Validates what `context.config` returned (null when the repository has no file). */
export function parseRepoConfig(raw: unknown): RepoConfigResult {
  if (raw === null || raw === undefined) return { ok: true, config: DEFAULT_REPO_CONFIG };
  const parsed = RepoConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
    return `\`${where}\`: ${issue.message}`;
  });
  return { ok: false, problems };
}
