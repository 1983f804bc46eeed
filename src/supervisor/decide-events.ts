import { MAX_MINOR_ISSUES_PER_PHASE } from "../plan/budgets.js";
import { budgetOf, firstLine, phaseOf, runBudgetProblem, type Ctx } from "./decision.js";
import { escalate, movePhase, moveRun, rebuild, requeue, startAudit } from "./moves.js";
import type { SupervisorEvent } from "./events.js";
import { approvalsMissing, isTerminal, type PhaseRecord } from "./run-state.js";
import { ACTIVE_STEPS } from "./transitions.js";

/** What an event (a finished build or audit, a person's request) changes. Duplicates and late results change nothing. */
export function applyEvent(ctx: Ctx): void {
  const { state, event } = ctx;
  switch (event.type) {
    case "observe":
      return;
    case "build-finished": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      // A duplicate or late result (another attempt started since) changes nothing.
      if (!rec || !phase || rec.step !== "building" || rec.builder_attempts !== event.attempt) return;
      rec.tokens += event.tokens;
      state.tokens += event.tokens;
      state.work_minutes += event.minutes;
      // The builder_result waits for the CI gate, so it can carry the checks as probe results.
      rec.held.push(...event.mirror);
      if (event.prNumber !== null) rec.pr = event.prNumber;
      if (event.status === "success" && event.commitSha && rec.pr === null) {
        escalate(ctx, phase.phase_id, rec, "the build committed but no pull request could be opened");
      } else if (event.status === "success" && event.commitSha) {
        rec.head_sha = event.commitSha;
        rec.built_sha = event.commitSha;
        rec.feedback = null;
        rec.start_over = false;
        if (ctx.config.ci.wait) movePhase(ctx, rec, "checks", "built");
        else startAudit(ctx, phase, rec, "built-without-ci-gate");
      } else if (event.environment) {
        escalate(
          ctx,
          phase.phase_id,
          rec,
          ctx.config.builder === "cursor"
            ? `Cursor cannot build for this repository: ${firstLine(event.notes, 400)}`
            : `the model server refused the app's requests; check OPENAI_API_KEY, OPENAI_BASE_URL and the model names (${firstLine(event.notes, 160)})`,
        );
      } else if (event.needsPerson) {
        // Another attempt would make the same change: a person decides, no attempt is spent on it.
        escalate(ctx, phase.phase_id, rec, event.needsPerson.reason, "needs-a-person", event.needsPerson.details);
      } else {
        rebuild(ctx, phase, rec, "build-failed", `The previous attempt failed: ${event.notes}`);
      }
      return;
    }
    case "audit-finished": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      if (!rec || !phase || rec.step !== "auditing" || rec.auditor_attempts !== event.attempt) {
        if (rec && phase) overruleLateApproval(ctx, phase.phase_id, rec, event);
        return;
      }
      rec.tokens += event.tokens;
      state.tokens += event.tokens;
      state.work_minutes += event.minutes;
      state.mirror.pending.push(...event.mirror);
      if (event.stale || event.sha !== rec.head_sha) {
        // The head moved while auditing: the verdict is not this PR's. Wait for the new head's checks;
        // observe() audits it under the next attempt number.
        movePhase(ctx, rec, "checks", "new-head");
        return;
      }
      rec.audited_sha = event.sha;
      rec.verdict = event.recommendation;
      rec.findings = event.findings;
      const majors = event.findings.filter((f) => f.severity === "major").length;
      const minors = event.findings.filter((f) => f.severity === "minor").length;
      if (event.recommendation === "escalate") {
        escalate(ctx, phase.phase_id, rec, `the Auditor escalated: ${firstLine(event.summary)}`);
      } else if (event.recommendation === "approve" && majors === 0 && minors <= MAX_MINOR_ISSUES_PER_PHASE) {
        movePhase(ctx, rec, "awaiting_merge", "audit-approved");
        if (ctx.config.auto_merge && rec.pr !== null)
          ctx.actions.push({ type: "merge", phaseId: phase.phase_id, pr: rec.pr, sha: event.sha });
      } else {
        const findings = renderFindings(event.summary, event.findings);
        const audits = budgetOf(ctx, phase).auditor_attempts;
        // A build whose result could not be audited would be paid for in vain.
        if (rec.auditor_attempts - rec.auditor_floor >= audits) {
          rec.feedback = findings;
          escalate(
            ctx,
            phase.phase_id,
            rec,
            `Auditor attempts exhausted (${audits}) without an approval; last findings: ${firstLine(findings)}`,
          );
        } else rebuild(ctx, phase, rec, "audit-asked-for-changes", findings);
      }
      return;
    }
    case "changes-requested": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      if (!rec || !phase || isTerminal(state)) return;
      if (rec.step === "building" || rec.step === "merged" || rec.step === "skipped") return;
      requeue(ctx, rec, "changes-requested", `@${event.by} requested changes:\n${event.feedback}`);
      return;
    }
    case "rerun-audit": {
      const rec = state.phases[event.phaseId];
      const phase = phaseOf(ctx, event.phaseId);
      // Only a verdict that stands can be audited again: an approved or an escalated phase.
      if (!rec || !phase || state.state === "DONE_SUCCESS" || (rec.step !== "awaiting_merge" && rec.step !== "escalated")) return;
      if (rec.head_sha !== event.sha || rec.pr === null || runBudgetProblem(state) !== null) return;
      rec.auditor_floor = rec.auditor_attempts;
      // Audit what the PR's head is once its checks allow (observe() starts it), not an older commit.
      movePhase(ctx, rec, "checks", "audit-requested");
      // A person asked for a new audit of a stopped run: it goes on.
      if (isTerminal(state)) moveRun(ctx, "PHASE_EXECUTION", "audit-requested");
      return;
    }
    case "retry": {
      // Nothing can start in a run whose budget is spent: a retry changes nothing. A finished run
      // (its skipped phases included) is not started again.
      if (runBudgetProblem(state) !== null || state.state === "DONE_SUCCESS") return;
      const wanted = event.phases;
      let retried = 0;
      for (const phase of state.plan.phases) {
        const rec = state.phases[phase.phase_id];
        if (!rec) continue;
        const failed = rec.step === "escalated" || rec.step === "cancelled";
        const settled = rec.step === "merged" || rec.step === "skipped" || ACTIVE_STEPS.has(rec.step);
        if (wanted ? !wanted.includes(phase.phase_id) || settled : !failed) continue;
        rec.builder_floor = rec.builder_attempts;
        rec.auditor_floor = rec.auditor_attempts;
        rec.token_floor = rec.tokens;
        requeue(ctx, rec, "retried", event.feedback[phase.phase_id] ?? rec.feedback);
        retried++;
      }
      if (retried > 0 && isTerminal(state)) moveRun(ctx, approvalsMissing(state) > 0 ? "AWAITING_APPROVAL" : "PHASE_EXECUTION", "retried");
      return;
    }
    case "skip": {
      const rec = state.phases[event.phaseId];
      if (!rec || rec.step === "merged" || rec.step === "skipped" || state.state === "DONE_SUCCESS") return;
      movePhase(ctx, rec, "skipped", "skipped", `skipped by @${event.by}; its pull request is left as it is`);
      // The phase that held its tier is out of the way: a run stopped for it goes on (a cancelled one stays cancelled).
      if (state.state === "DONE_FAILED_REQUIRES_HUMAN_REVIEW" && state.cancelled_by === null) moveRun(ctx, "PHASE_EXECUTION", "skipped");
      return;
    }
    case "approve": {
      const approval = state.approval;
      if (state.state !== "AWAITING_APPROVAL" || approval === null) return;
      if (!approval.by.some((b) => b.toLowerCase() === event.by.toLowerCase())) approval.by.push(event.by);
      if (approvalsMissing(state) === 0) moveRun(ctx, "RUN_CREATED", "approved");
      return;
    }
    case "cancel": {
      if (isTerminal(state)) return;
      for (const rec of Object.values(state.phases)) {
        if (rec.step === "waiting" || ACTIVE_STEPS.has(rec.step))
          movePhase(ctx, rec, "cancelled", "cancelled", `cancelled by @${event.by}`);
      }
      moveRun(
        ctx,
        "DONE_FAILED_REQUIRES_HUMAN_REVIEW",
        "cancelled",
        `Cancelled by @${event.by}; open pull requests are left for people.`,
        event.by,
      );
      return;
    }
  }
}

/**
 * An approval that came after its phase went back to the Builder or to a person (its head's checks
 * failed during the audit, a person requested changes) is not the phase's verdict: the check run the
 * audit completed as `success` must not stay passing on that head. Elsewhere (a newer audit of the
 * head, an approval the phase holds, a stopped run) the check run is left as the audit wrote it.
 */
function overruleLateApproval(
  ctx: Ctx,
  phaseId: string,
  rec: PhaseRecord,
  event: Extract<SupervisorEvent, { type: "audit-finished" }>,
): void {
  if (event.recommendation !== "approve" || event.stale || rec.head_sha !== event.sha) return;
  if (rec.step !== "building" && rec.step !== "waiting" && rec.step !== "escalated") return;
  const where = rec.step === "escalated" ? "to a person" : "back to the Builder";
  ctx.actions.push({ type: "overrule-audit", phaseId, sha: event.sha, reason: `this approval came after the phase had gone ${where}` });
}

export function renderFindings(
  summary: string,
  findings: { severity: string; path: string | null; line: number | null; message: string }[],
): string {
  const lines = findings.map((f) => `- [${f.severity}] ${f.path ?? "(general)"}${f.line ? `:${f.line}` : ""}: ${f.message}`);
  return [`The Auditor asked for changes: ${summary}`, ...lines].join("\n");
}
