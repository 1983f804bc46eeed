import { httpStatus } from "../github/errors.js";
import { phaseBudget } from "../plan/budgets.js";
import { forMarkdownBody } from "../policy/outbound.js";
import { buildAuditPrompt } from "./audit-prompt.js";
import { checkOutput } from "./check-output.js";
import { auditCoverage, coverageSummary, readInFull } from "./coverage.js";
import { runChecks } from "./checks.js";
import { diffLineMap, patchLines } from "./diff-lines.js";
import { earlierFindingAttempts } from "./earlier-findings.js";
import { mergeFindings } from "./finding-key.js";
import { inlineComments, suggestedPatches } from "./inline-comments.js";
import { askAuditor } from "./ask-auditor.js";
import { auditMarker, stripMarkers, type AuditMarker } from "./markers.js";
import { modelFindings } from "./model-output.js";
import { placeFindings, withoutInline, type Placement } from "./placement.js";
import { auditSystemPrompt } from "./prompts/audit-system.js";
import { renderReviewBody } from "./review-body.js";
import type { AuditInput, AuditOutcome } from "./types.js";
import { decideVerdict } from "./verdict.js";

/**
 * One audit of one phase PR at `headSha`: a check run, the deterministic checks, one model call
 * within the context budget, the verdict rule, then a COMMENT review pinned to the commit with inline
 * comments on diff lines only, and the check run's conclusion. Safe to run again: the check run and
 * the review are found by what they are for instead of being created twice.
 */
export async function runAuditor(input: AuditInput): Promise<AuditOutcome> {
  const { github, config, phase, headSha, prNumber } = input;
  const marker: AuditMarker = { runId: input.runId, phaseId: phase.phase_id, attempt: input.attempt, sha: headSha };
  const { id: checkRunId, fresh } = await github.ensureAuditCheckRun(headSha, {
    externalId: `${input.runId}/${phase.phase_id}/${input.attempt}`,
    summary: `Reviewing phase \`${phase.phase_id}\`, attempt ${input.attempt}.`,
  });

  const pull = await github.pull(prNumber);
  if (pull.headSha !== headSha) return superseded(input, checkRunId, pull.headSha, null);

  const files = await github.pullFiles(prNumber);
  const lines = diffLineMap(files);
  const checks = runChecks(
    files.map((f) => ({ path: f.path, previousPath: f.previousPath, status: f.status, lines: lines.get(f.path) ?? patchLines(null) })),
    { deniedPaths: config.denied_paths, scope: phase.scope, scopeStrict: config.scope_strict },
  );
  const profile = phaseBudget(phase.task_category, config.budgets);
  const prompt = await buildAuditPrompt({
    system: auditSystemPrompt(profile),
    phase,
    pull,
    files,
    checks,
    maxTokens: config.audit_context_tokens,
    readHead: (path) => github.readFile(path, headSha),
  });
  const answer = await askAuditor(input.llm, input.budget, prompt, config.audit.max_findings, {
    runId: input.runId,
    phaseId: phase.phase_id,
    attempt: input.attempt,
  });
  // What the model did not see whole, it cannot vouch for: such a change is never approved.
  const coverage = await auditCoverage({
    files,
    prompt,
    changedFiles: pull.changedFiles,
    maxTokens: config.audit_context_tokens,
    readHead: (path) => github.readFile(path, headSha),
    readBase: (path) => github.readFile(path, pull.baseSha),
  });

  const findings = mergeFindings(checks, answer.output === null ? [] : modelFindings(answer.output));
  const verdict = decideVerdict(answer.output?.recommendation ?? null, findings, coverage.unread.length + coverage.unlisted);
  const confidence = answer.output?.confidence ?? "low";
  const summary = answer.output?.summary ?? null;
  const earlier = earlierFindingAttempts({
    runId: input.runId,
    phaseId: phase.phase_id,
    attempt: input.attempt,
    previousFindings: input.previousFindings,
    ...(await earlierPostings(input)),
  });
  const placement = placeFindings(findings, {
    maxFindings: config.audit.max_findings,
    minInlineSeverity: config.audit.min_inline_severity,
    diff: lines,
    earlier,
    previousFindings: input.previousFindings,
  });
  const render = (p: Placement) =>
    renderReviewBody({
      marker,
      recommendation: verdict.recommendation,
      confidence,
      summary,
      verdictReasons: verdict.reasons,
      failure: answer.failure,
      placement: p,
      maxFindings: config.audit.max_findings,
      coverage,
    });
  let body = render(placement);
  const outcome: AuditOutcome = {
    recommendation: verdict.recommendation,
    confidence,
    summary: forMarkdownBody([readInFull(coverage) ? "" : coverageSummary(coverage), summary ?? answer.failure ?? ""].join(" ").trim()),
    findings: placement.shown,
    reviewNotes: stripMarkers(body),
    suggestedPatches: suggestedPatches(placement.shown, lines),
    tokensUsed: answer.tokensUsed,
    reviewId: null,
    checkRunId,
    stale: false,
  };

  // A verdict on a commit that is no longer the PR's head is not the PR's verdict.
  const now = await github.pull(prNumber);
  if (now.headSha !== headSha) return superseded(input, checkRunId, now.headSha, outcome);

  // A retried audit may have posted its review already; a fresh one has posted nothing yet.
  const existing = fresh ? null : await github.findAppReview(prNumber, auditMarker(marker));
  if (existing !== null) {
    outcome.reviewId = existing.id;
  } else {
    const comments = inlineComments(placement.inline);
    try {
      outcome.reviewId = await github.createCommentReview(prNumber, { commitId: headSha, body, comments });
    } catch (error) {
      // Lines are only placed on the diff GitHub showed for this head; should GitHub still refuse
      // them, the findings are kept, in the body.
      if (httpStatus(error) !== 422 || comments.length === 0) throw error;
      body = render(withoutInline(placement));
      outcome.reviewNotes = stripMarkers(body);
      outcome.reviewId = await github.createCommentReview(prNumber, { commitId: headSha, body, comments: [] });
    }
  }

  const check = checkOutput({
    recommendation: verdict.recommendation,
    confidence,
    summary,
    verdictReasons: verdict.reasons,
    failure: answer.failure,
    placement,
    coverage,
  });
  await github.completeAuditCheckRun(checkRunId, check);
  return outcome;
}

/** The app's earlier reviews and comments on the PR; none when they cannot be read (they only refine the body). */
async function earlierPostings(input: AuditInput) {
  if (input.attempt <= 1 && input.previousFindings.length === 0) return { reviews: [], comments: [] };
  try {
    const [reviews, comments] = await Promise.all([
      input.github.appReviews(input.prNumber),
      input.github.appReviewComments(input.prNumber),
    ]);
    return { reviews, comments };
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined) throw error;
    return { reviews: [], comments: [] };
  }
}

/**
 * The head moved: the check run says so (neutral) and nothing is posted as the PR's verdict. The
 * outcome's recommendation is not a verdict on the PR (callers look at `stale` first); when the model
 * was already asked, what it found is kept for the record.
 */
async function superseded(input: AuditInput, checkRunId: number, newSha: string, computed: AuditOutcome | null): Promise<AuditOutcome> {
  const title = `Superseded by ${newSha.slice(0, 7)}`;
  const summary =
    `The pull request's head moved to ${newSha} while ${input.headSha} was being audited. ` +
    "No verdict is reported for the old commit; the new head is audited instead.";
  await input.github.completeAuditCheckRun(checkRunId, { conclusion: "neutral", title, summary });
  if (computed !== null) return { ...computed, reviewId: null, stale: true };
  return {
    recommendation: "revise",
    confidence: "low",
    summary,
    findings: [],
    reviewNotes: "",
    suggestedPatches: [],
    tokensUsed: 0,
    reviewId: null,
    checkRunId,
    stale: true,
  };
}
