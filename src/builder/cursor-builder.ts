import { cursorAgentId } from "../cursor/agent-id.js";
import type { CursorApi } from "../cursor/client.js";
import { CursorError } from "../cursor/errors.js";
import { FINAL_RUN_STATUSES, type CursorRun } from "../cursor/schemas.js";
import { errorMessage, httpStatus } from "../github/errors.js";
import { sanitiseUntrusted } from "../policy/untrusted.js";
import { cursorPrompt } from "./cursor-prompt.js";
import { pushViolations, readPush, type PushedChanges } from "./cursor-push-check.js";
import { BuildFailure, failedOutcome, NeedsPerson } from "./failure.js";
import { upsertAttemptPull } from "./phase-pull.js";
import type { BuildInput, BuildOutcome } from "./types.js";

export interface CursorBuildInput extends BuildInput {
  /** Cursor's API; null when `CURSOR_API_KEY` is not set. */
  cursor: CursorApi | null;
  /** When the phase's building step started (ISO, from the run's signed state). */
  stepSince: string;
}

/**
 * One Builder attempt done by a Cursor Cloud Agent: launch (or, for a revise round, a follow-up run on
 * the phase's agent), follow it to its end, hold what it pushed to the same rules as the built-in
 * Builder, then open or update the phase PR as the built-in Builder does. The agent's head commit is
 * the attempt's commit: the app did not make it, so it carries no seal; the run's signed state records
 * it through this outcome.
 */
export async function runCursorBuilder(input: CursorBuildInput): Promise<BuildOutcome> {
  const started = Date.now();
  const meter = { tokens: 0 };
  try {
    return await attempt(input, meter, started);
  } catch (error) {
    if (error instanceof CursorError) {
      return { ...failedOutcome(error.message, meter.tokens, minutesSince(started)), ...(error.environment ? { environment: true } : {}) };
    }
    if (!(error instanceof BuildFailure)) throw error;
    return {
      ...failedOutcome(error.message, meter.tokens, minutesSince(started)),
      ...(error.environment ? { environment: true } : {}),
      ...(error instanceof NeedsPerson ? { needsPerson: { reason: error.message, details: error.details } } : {}),
    };
  }
}

async function attempt(input: CursorBuildInput, meter: { tokens: number }, started: number): Promise<BuildOutcome> {
  const { github, phase, config, cursor } = input;
  if (cursor === null) {
    throw new BuildFailure(
      "`builder: cursor` is set in .github/autopack.yml, but CURSOR_API_KEY is not set in the app's environment: set CURSOR_API_KEY (and CURSOR_API_URL for another endpoint than Cursor's) and retry the phase",
      true,
    );
  }
  const baseSha = await github.branchSha(input.baseBranch);
  if (baseSha === null) throw new BuildFailure(`the base branch "${input.baseBranch}" does not exist`);
  const repository = (await github.info()).htmlUrl;
  const agentId = cursorAgentId(`${github.owner}/${github.name}`, input.runId, phase.phase_id);
  const prompt = (followUp: boolean) =>
    cursorPrompt({
      phase,
      tierName: input.plan.tiers.find((t) => t.tier_id === phase.tier_id)?.name ?? null,
      attempt: input.attempt,
      branch: input.branch,
      feedback: input.feedback,
      deniedPaths: config.denied_paths,
      scopeStrict: config.scope_strict,
      holdsExecutable: !config.allow_executable_changes,
      followUp,
    });

  // Which run is this attempt's: one this very attempt started before the process restarted, or a new one.
  let run: CursorRun;
  let before: string;
  const agent = await cursor.agent(agentId);
  if (agent === null) {
    before = baseSha;
    const launched = await cursor.launch({ agentId, prompt: prompt(false), repository, startingRef: baseSha, branchName: input.branch });
    run = launched.created ? launched.run : await latestRun(cursor, agentId);
  } else {
    before = input.startOver ? baseSha : (input.recordedHead ?? baseSha);
    const latest = agent.latestRunId ? await cursor.run(agentId, agent.latestRunId) : null;
    if (latest !== null && isThisAttempts(latest, input.stepSince)) run = latest;
    else {
      const restart = input.startOver ? await resetForStartOver(input, baseSha) : null;
      if (restart !== null) before = restart.before;
      run = await followUp(cursor, agentId, prompt(true) + (restart?.told ?? ""));
    }
  }

  run = await follow(cursor, agentId, run).catch(async (error: unknown) => {
    // An attempt that ends leaves no run of its agent going: the next attempt would take it for its own.
    await cursor.cancel(agentId, run.id).catch(() => undefined);
    throw error;
  });
  meter.tokens = (await cursor.tokens(agentId, run.id).catch(() => null)) ?? 0;
  const said = sanitiseUntrusted(run.result ?? run.summary ?? "").trim();

  // Whatever the run's end, what it pushed is checked before anything else happens.
  const head = await github.branchSha(input.branch, { fresh: true });
  const moved = head !== null && head !== before;
  const pushed = moved ? await readPush(github, before, head) : null;
  if (moved && pushed !== null) await refuseBadPush(input, pushed, before, head);

  if (run.status === "ERROR") throw new BuildFailure(`the Cursor agent's run ended in ERROR${said ? `: ${said.slice(0, 500)}` : ""}`);
  if (run.status === "EXPIRED")
    throw new BuildFailure(
      "the Cursor agent's run EXPIRED before it finished (Cursor ends runs left too long); the next attempt sends it the phase again",
    );
  if (run.status !== "FINISHED") throw new BuildFailure(`the Cursor agent's run ended as ${run.status}`);
  if (!moved || pushed === null || pushed.files.length === 0) {
    throw new BuildFailure(
      `the Cursor agent finished but pushed no change to ${input.branch}${said ? `; it said: ${said.slice(0, 300)}` : ""}`,
    );
  }

  const summary = said || "(the agent gave no summary)";
  const pull = await upsertAttemptPull(input, {
    summary,
    files: pushed.files,
    linesAdded: pushed.linesAdded,
    linesRemoved: pushed.linesRemoved,
    tokensUsed: meter.tokens,
  });
  const notes = [
    summary,
    "",
    `Built by the Cursor agent ${agentId} (run ${run.id}).`,
    ...(meter.tokens === 0 ? ["Cursor reported no token usage for the run: 0 tokens counted against the budget."] : []),
  ];
  return {
    status: "success",
    commitSha: head,
    prNumber: pull.number,
    prUrl: pull.url,
    patch: pushed.patch,
    filesChanged: pushed.files.map((f) => f.path),
    linesAdded: pushed.linesAdded,
    linesRemoved: pushed.linesRemoved,
    tokensUsed: meter.tokens,
    durationMinutes: minutesSince(started),
    notes: notes.join("\n"),
  };
}

/**
 * A run this attempt already started (before the process restarted): one still going (attempts of a
 * phase never overlap, and an attempt that gives up cancels its run), or one created since the phase's
 * building step started.
 */
function isThisAttempts(run: CursorRun, stepSince: string): boolean {
  if (!FINAL_RUN_STATUSES.has(run.status)) return true;
  const created = run.createdAt ? Date.parse(run.createdAt) : Number.NaN;
  return !Number.isNaN(created) && created >= Date.parse(stepSince);
}

async function latestRun(cursor: CursorApi, agentId: string): Promise<CursorRun> {
  const agent = await cursor.agent(agentId);
  if (!agent?.latestRunId) throw new CursorError("bad-answer", `Cursor said agent ${agentId} exists but shows no run of it`);
  return cursor.run(agentId, agent.latestRunId);
}

/** A follow-up run; while Cursor says the agent is busy (409), the run going on is this attempt's. */
async function followUp(cursor: CursorApi, agentId: string, prompt: string): Promise<CursorRun> {
  const sent = await cursor.followUp(agentId, prompt);
  if ("run" in sent) return sent.run;
  return latestRun(cursor, agentId);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls the run with a growing pause until it ends; past the time limit it is cancelled and the attempt fails. */
async function follow(cursor: CursorApi, agentId: string, first: CursorRun): Promise<CursorRun> {
  const { minMs, maxMs, maxWaitMs } = cursor.follow;
  const deadline = Date.now() + maxWaitMs;
  let run = first;
  let pause = minMs;
  while (!FINAL_RUN_STATUSES.has(run.status)) {
    if (Date.now() >= deadline) {
      const limit = maxWaitMs >= 60_000 ? `${Math.round(maxWaitMs / 60_000)} minutes` : `${Math.round(maxWaitMs / 1000)} s`;
      throw new BuildFailure(`the Cursor agent did not finish within ${limit}; its run was cancelled`);
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, maxMs);
    run = await cursor.run(agentId, run.id);
  }
  return run;
}

/**
 * A start over (the phase's PR was closed unmerged): the branch goes back to the base, over the head the
 * run's state recorded only, and the agent is told to start from there. A branch that moved since
 * (someone pushed) is kept, and the agent works on top of it.
 */
async function resetForStartOver(input: CursorBuildInput, baseSha: string): Promise<{ before: string; told: string }> {
  const head = await input.github.branchSha(input.branch, { fresh: true });
  if (head === null || head === baseSha) return { before: baseSha, told: startOverNote(input.branch, baseSha) };
  if (head !== input.recordedHead) return { before: head, told: "" };
  const moved = await input.github.setBranch(input.branch, baseSha, { exists: true, force: true, expected: head });
  return moved === "not-fast-forward" ? { before: head, told: "" } : { before: baseSha, told: startOverNote(input.branch, baseSha) };
}

function startOverNote(branch: string, baseSha: string): string {
  return `\n\nThe phase's pull request was closed unmerged: Autopack reset \`${branch}\` to the base (${baseSha}). Start over from there: fetch it and reset your local branch to \`origin/${branch}\` before you work.`;
}

/** A push that breaks the rules is undone (the branch goes back to where it was before the agent) and the phase goes to a person. */
async function refuseBadPush(input: CursorBuildInput, pushed: PushedChanges, before: string, head: string): Promise<void> {
  const violation = await pushViolations(input.github, pushed, { before, head }, input.config, input.phase);
  if (violation === null) return;
  // GitHub may refuse an app without the workflows permission a ref move that changes a workflow file:
  // the phase still goes to a person, told that the branch holds the push.
  const moved = await input.github
    .setBranch(input.branch, before, { exists: true, force: true, expected: head })
    .catch((error: unknown) => {
      // Anything but a refusal (a 5xx) fails the job, which is tried again and checks the push again.
      if (httpStatus(error) !== 403 && httpStatus(error) !== 422) throw error;
      return `refused: ${errorMessage(error).slice(0, 200)}`;
    });
  const undone =
    moved === "not-fast-forward"
      ? `The branch moved again since, so it was not reset: ${input.branch} still holds the agent's push.`
      : moved.startsWith("refused")
        ? `GitHub refused to reset ${input.branch} (${moved}): it still holds the agent's push; reset or delete it by hand.`
        : `${input.branch} was reset to ${before.slice(0, 7)}, where it was before the agent; nothing was audited.`;
  throw new NeedsPerson(
    `the Cursor agent pushed a change no Builder may make: ${violation.reason}. ${undone}`,
    diffOf(pushed.patch, violation.offending),
  );
}

/** The sections of a unified diff about these paths. */
function diffOf(patch: string, paths: readonly string[]): string {
  const wanted = new Set(paths);
  return patch
    .split(/(?=^diff --git )/m)
    .filter((section) => {
      const header = /^diff --git a\/(.+?) b\/(.+)$/m.exec(section);
      return header !== null && (wanted.has(header[1]!) || wanted.has(header[2]!));
    })
    .join("");
}

function minutesSince(started: number): number {
  return Math.round(((Date.now() - started) / 60_000) * 100) / 100;
}
