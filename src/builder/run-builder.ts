import { sanitiseUntrusted } from "../policy/untrusted.js";
import { adoptCommittedAttempt } from "./adopt-attempt.js";
import { resolveBranchStart } from "./branch-start.js";
import { commitMessage } from "./commit-message.js";
import { commitSeal } from "./commit-seal.js";
import { selectContext } from "./context.js";
import { FileRequestSchema, MAX_REQUESTED_FILES } from "./edit-schema.js";
import { runEditRound } from "./edit-round.js";
import { holdExecutableChanges } from "./executable-gate.js";
import { BuildFailure, failedOutcome, NeedsPerson } from "./failure.js";
import { decodeText, MAX_FILE_BYTES } from "./file-text.js";
import { callModel, type TokenMeter } from "./llm-call.js";
import { buildPatch } from "./patch.js";
import { upsertAttemptPull } from "./phase-pull.js";
import { editSystemPrompt, fileRequestSystemPrompt, type PathRules } from "./prompts/system.js";
import type { TreeEntry } from "./tree-listing.js";
import type { BuildInput, BuildOutcome } from "./types.js";

/**
 * One Builder attempt of one phase: context, edits, policy, one commit on the phase branch, the
 * phase PR. Expected failures end as `status: "failed"` with the reason in `notes`; only GitHub
 * errors it cannot handle are thrown (the caller retries the job).
 */
export async function runBuilder(input: BuildInput): Promise<BuildOutcome> {
  const started = Date.now();
  const meter: TokenMeter = { used: 0 };
  try {
    return (await adoptCommittedAttempt(input, started)) ?? (await attempt(input, meter, started));
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return {
      ...failedOutcome(error.message, meter.used, minutesSince(started)),
      ...(error.environment ? { environment: true } : {}),
      ...(error instanceof NeedsPerson ? { needsPerson: { reason: error.message, details: error.details } } : {}),
    };
  }
}

/** Room for the edit step's answer, taken from `context_tokens`. */
export function answerTokensFor(contextTokens: number): number {
  return Math.min(16_000, Math.max(1_000, Math.floor(contextTokens * 0.25)));
}

async function attempt(input: BuildInput, meter: TokenMeter, started: number): Promise<BuildOutcome> {
  const { github, phase, config } = input;
  const start = await resolveBranchStart({
    github,
    branch: input.branch,
    baseBranch: input.baseBranch,
    startOver: input.startOver,
    appHead: input.appHead,
    runId: input.runId,
    phaseId: phase.phase_id,
    sealKey: input.sealKey,
  });
  const tree = await github.tree(start.parent.treeSha ?? start.parent.sha);
  const byPath = new Map(tree.entries.map((e) => [e.path, e]));

  const texts = new Map<string, Promise<string | null>>();
  const loadText = (entry: TreeEntry): Promise<string | null> => {
    let text = texts.get(entry.sha);
    if (!text) {
      text = github.blob(entry.sha).then(decodeText);
      texts.set(entry.sha, text);
    }
    return text;
  };

  const policy = { deniedPaths: config.denied_paths, scope: phase.scope, scopeStrict: config.scope_strict };
  const rules: PathRules = { ...policy, maxFileKb: MAX_FILE_BYTES / 1000, holdsExecutable: !config.allow_executable_changes };
  const answerTokens = answerTokensFor(config.context_tokens);
  const promptBudget = config.context_tokens - answerTokens;
  const tier = input.plan.tiers.find((t) => t.tier_id === phase.tier_id);
  const trace = { runId: input.runId, phaseId: phase.phase_id, attempt: input.attempt };

  const context = await selectContext({
    tree,
    phase,
    tierName: tier?.name ?? null,
    attempt: input.attempt,
    feedback: input.feedback,
    deniedPaths: config.denied_paths,
    promptBudget,
    editSystem: editSystemPrompt(rules),
    fileRequestSystem: fileRequestSystemPrompt(rules, MAX_REQUESTED_FILES),
    loadFile: loadText,
    chooseFiles: async (prompt) => {
      const answer = await callModel(input.llm, input.budget, meter, {
        step: "file selection step",
        purpose: { ...trace, step: "files" },
        ...prompt,
        schema: FileRequestSchema,
        schemaName: "autopack_file_request",
        maxOutputTokens: 1_000,
        minOutputTokens: 200,
      });
      return answer.files;
    },
  });
  if (context.promptTokens > promptBudget) {
    throw new BuildFailure(
      `context_tokens (${config.context_tokens}) is too small: the task and repository listing alone need about ${context.promptTokens} tokens`,
    );
  }

  const round = await runEditRound({
    llm: input.llm,
    budget: input.budget,
    meter,
    trace,
    system: context.system,
    user: context.user,
    task: context.task,
    policy,
    promptBudget,
    answerTokens,
    loadText,
    resolveTargets: async (paths) => {
      const found = new Map<string, TreeEntry>();
      for (const path of paths) {
        const entry = byPath.get(path) ?? (tree.truncated ? await github.findPath(start.parent.sha, path) : null);
        if (entry) found.set(path, entry);
      }
      return found;
    },
  });

  const changes = [...round.changes].map(([path, after]) => ({
    path,
    before: round.before.get(path) ?? null,
    after,
    mode: round.entries.get(path)?.mode ?? "100644",
  }));
  // Nothing that changes what runs in CI or on install is written: a push runs the workflows.
  holdExecutableChanges(changes, config.allow_executable_changes);
  const diff = buildPatch(changes);

  // Commit: one tree, one commit, one ref move.
  const treeSha = await github.createTree(
    tree.sha,
    changes.map((c) => ({ path: c.path, mode: c.mode, content: c.after })),
  );
  const sealed = { runId: input.runId, phaseId: phase.phase_id, attempt: input.attempt, baseSha: start.baseSha };
  const message = commitMessage({
    ...sealed,
    summary: round.summary,
    seal: commitSeal(input.sealKey, { ...sealed, parentSha: start.parent.sha, treeSha }),
  });
  const commitSha = await github.createCommit({ message, treeSha, parents: [start.parent.sha] });
  const moved = await github.setBranch(input.branch, commitSha, {
    exists: start.branchExists,
    force: start.force,
    expected: start.branchHead,
  });
  if (moved === "not-fast-forward") {
    // This very attempt running twice at once (its job taken up again while it still ran, as after its
    // queue's Redis lost its data) moved the branch first: its commit is this attempt's result.
    const twin = await adoptCommittedAttempt(input, started);
    if (twin !== null) return { ...twin, tokensUsed: meter.used };
    throw new BuildFailure(
      `the branch ${input.branch} moved while this attempt ran (someone pushed to it); nothing was overwritten and this attempt's commit was not added`,
    );
  }

  const pull = await upsertAttemptPull(input, {
    summary: round.summary,
    files: diff.files,
    linesAdded: diff.linesAdded,
    linesRemoved: diff.linesRemoved,
    tokensUsed: meter.used,
  });

  const notes = [sanitiseUntrusted(round.summary).trim() || "(no summary given)"];
  if (round.repaired) notes.push("", "The first edits did not apply; one repair round fixed them.");
  if (round.takenAsMeant.length > 0) notes.push("", "Edits taken as meant:", ...round.takenAsMeant.map((n) => `- ${sanitiseUntrusted(n)}`));
  if (start.notes.length > 0) notes.push("", ...start.notes);
  return {
    status: "success",
    commitSha,
    prNumber: pull.number,
    prUrl: pull.url,
    patch: diff.patch,
    filesChanged: diff.filesChanged,
    linesAdded: diff.linesAdded,
    linesRemoved: diff.linesRemoved,
    tokensUsed: meter.used,
    durationMinutes: minutesSince(started),
    notes: notes.join("\n"),
  };
}

function minutesSince(started: number): number {
  return Math.round(((Date.now() - started) / 60_000) * 100) / 100;
}
