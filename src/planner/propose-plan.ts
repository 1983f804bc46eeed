import { listedFiles, renderTreeListing, type TreeEntry } from "../builder/tree-listing.js";
import type { RepoGitHub } from "../github/door.js";
import { SimpleTokenBudget } from "../llm/budget.js";
import { countTokens, truncateToTokens } from "../llm/tokens.js";
import { LlmBudgetExceededError, LlmOutputInvalidError, LlmUnavailableError, type LlmPort, type LlmPurpose } from "../llm/port.js";
import { parsePlan } from "../plan/parse-plan.js";
import type { Plan, PlanProblem } from "../plan/schema.js";
import { checkPath } from "../policy/path-policy.js";
import { forErrorNote } from "../policy/outbound.js";
import { untrustedBlock } from "../policy/untrusted.js";
import { PLANNER_SYSTEM, plannerFilesPrompt, plannerProposalPrompt, plannerRepairPrompt, type PlannerContext } from "./prompts.js";
import { renderPlanBlock } from "./render.js";
import { MAX_PLANNER_FILES, PlannerFileRequestSchema, ProposedPlanSchema, type ProposedPlan } from "./schema.js";

/** The requests the planner makes of the repository (reads only). */
export type PlannerGitHub = Pick<RepoGitHub, "branchSha" | "commit" | "tree" | "readFile">;

export interface ProposePlanInput {
  llm: LlmPort;
  github: PlannerGitHub;
  issue: { number: number; title: string; body: string };
  /** The branch whose files the model sees (the run's base). */
  branch: string;
  /** Globs never shown to the model (secret-like files always among them). */
  deniedPaths: readonly string[];
  /** Prompt budget of one request. */
  contextTokens: number;
  /** What the requests are for, sent with them (`plan-<repo id>-<issue>`). */
  purposeRunId: string;
}

export type ProposePlanResult =
  | { ok: true; block: string; plan: Plan; summary: string; tokens: number; repaired: boolean }
  /** The model's plan, twice refused by the parser: the last problems, and the block they are about. */
  | { ok: false; kind: "invalid"; problems: PlanProblem[]; block: string; tokens: number }
  /** The model could not be asked or did not answer in shape. */
  | { ok: false; kind: "model"; message: string; tokens: number };

/** Tokens the planner may spend on one proposal, every round counted. */
export const PLANNER_TOKEN_BUDGET = 400_000;
const FILE_BYTES = 60_000;
const OUTPUT_TOKENS = 8_000;

/**
 * Proposes a plan for an issue: the model sees the issue (as data), a listing of the repository, its
 * README and up to {@link MAX_PLANNER_FILES} files it asks for in one extra round (denied paths are
 * neither listed as readable nor shown), then answers a structured plan. The plan is rendered in the
 * YAML form and read back by the real plan parser; a refused plan gets one repair round with the
 * parser's problems, then the problems are the answer.
 */
export async function proposePlan(input: ProposePlanInput): Promise<ProposePlanResult> {
  const budget = new SimpleTokenBudget(PLANNER_TOKEN_BUDGET);
  const spent = () => budget.spent;
  const purpose = (step: string): LlmPurpose => ({ runId: input.purposeRunId, phaseId: "plan", attempt: 1, step });
  try {
    const head = await input.github.branchSha(input.branch);
    if (head === null) return { ok: false, kind: "model", message: `the branch ${input.branch} does not exist`, tokens: 0 };
    const tree = await input.github.tree(head);
    const entries: TreeEntry[] = tree.entries.map((e) => ({ path: e.path, mode: e.mode, type: e.type, sha: e.sha, size: e.size }));
    const readable = (path: string) =>
      checkPath(path, { deniedPaths: input.deniedPaths, scope: [], scopeStrict: false }).ok &&
      entries.some((e) => e.path === path && e.type === "blob" && e.mode !== "120000");
    const share = Math.floor(input.contextTokens / 4);
    const issueText = truncateToTokens(input.issue.body, share).text;
    const readmePath = listedFiles(entries).find((p) => /^readme(\.[a-z]+)?$/i.test(p));
    const readmeText = readmePath && readable(readmePath) ? await input.github.readFile(readmePath, head, FILE_BYTES) : null;
    const ctx: PlannerContext = {
      title: input.issue.title,
      body: issueText,
      listing: renderTreeListing(entries, { scope: [], maxTokens: share, truncated: tree.truncated }),
      readme: readmeText === null ? null : truncateToTokens(readmeText, Math.floor(share / 2)).text,
    };
    const ask = async <T>(step: string, user: string, schema: import("zod").ZodType<T>, schemaName: string) =>
      (
        await input.llm.complete({
          role: "builder",
          purpose: purpose(step),
          system: PLANNER_SYSTEM,
          user,
          schema,
          schemaName,
          maxOutputTokens: OUTPUT_TOKENS,
          budget,
        })
      ).value;

    const wanted = await ask("files", plannerFilesPrompt(ctx), PlannerFileRequestSchema, "autopack_plan_files");
    const sections: string[] = [];
    let room = share;
    for (const path of [...new Set(wanted.files)].slice(0, MAX_PLANNER_FILES)) {
      if (path === readmePath || !readable(path)) continue;
      const text = await input.github.readFile(path, head, FILE_BYTES);
      if (text === null) continue;
      const section = `### File ${JSON.stringify(path)}\n${untrustedBlock("file", text)}\n`;
      const tokens = countTokens(section);
      if (tokens > room) continue;
      room -= tokens;
      sections.push(section);
    }

    let proposal = await ask("propose", plannerProposalPrompt(ctx, sections), ProposedPlanSchema, "autopack_plan");
    let checked = check(proposal);
    if (checked.ok) return { ...checked, summary: proposal.summary, tokens: spent(), repaired: false };
    const problems = checked.problems.map(problemText);
    proposal = await ask("repair", plannerRepairPrompt(ctx, sections, checked.block, problems), ProposedPlanSchema, "autopack_plan");
    checked = check(proposal);
    if (checked.ok) return { ...checked, summary: proposal.summary, tokens: spent(), repaired: true };
    return { ok: false, kind: "invalid", problems: checked.problems, block: checked.block, tokens: spent() };
  } catch (error) {
    if (error instanceof LlmOutputInvalidError || error instanceof LlmUnavailableError || error instanceof LlmBudgetExceededError)
      return { ok: false, kind: "model", message: forErrorNote(error.message, 300), tokens: spent() };
    throw error;
  }
}

function check(proposal: ProposedPlan): { ok: true; block: string; plan: Plan } | { ok: false; block: string; problems: PlanProblem[] } {
  const block = renderPlanBlock(proposal);
  const parsed = parsePlan(block);
  return parsed.ok ? { ok: true, block, plan: parsed.plan } : { ok: false, block, problems: parsed.problems };
}

/** A problem as one line, its place in the rendered block first. */
export function problemText(p: PlanProblem): string {
  const where = [p.line !== undefined ? `line ${p.line}` : null, p.field ?? null].filter((x) => x !== null);
  return where.length > 0 ? `${where.join(", ")}: ${p.message}` : p.message;
}
