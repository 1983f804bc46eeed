import type { RepoConfig } from "../config/repo-config.js";
import { phasesOfTier } from "../plan/schema.js";
import { estimateCost, formatTokens, runHeadline } from "./run-text.js";
import { phaseBudget } from "../plan/budgets.js";
import { approvalsMissing, isTerminal, type PhaseRecord, type RunState } from "./run-state.js";
import { renderPanel } from "./control-panel.js";
import { phaseStateOf } from "./transitions.js";
import { encodeStateBlock, type BlockBinding } from "./state-codec.js";
import { forPlainLine, forTableCell } from "../policy/outbound.js";

/** Marks the app's status comments (the signed state block is what is trusted, not this). */
export const STATUS_MARKER = "<!-- autopack:status -->";

const STEP_LABEL: Record<PhaseRecord["step"], string> = {
  waiting: "queued",
  building: "building",
  checks: "waiting for checks",
  auditing: "auditing",
  awaiting_merge: "approved, waiting for merge",
  merged: "merged",
  escalated: "needs a person",
  cancelled: "cancelled",
  skipped: "skipped by a person",
};

/** Builder attempts used of those allowed, counted since the last retry (which grants a fresh budget). */
function attempts(rec: PhaseRecord | undefined, allowed: number): string {
  if (!rec) return `0/${allowed}`;
  const used = `${rec.builder_attempts - rec.builder_floor}/${allowed}`;
  return rec.builder_floor > 0 ? `${used} (${rec.builder_attempts} in all)` : used;
}

export function minutesBetween(fromIso: string, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - Date.parse(fromIso)) / 60_000));
}

const PLAN_FROM: Record<RunState["plan_from"], string> = {
  issue: "",
  proposal: ", as Autopack proposed it",
  "edited-proposal": ", Autopack's proposal as edited by a person with write access",
};

/** Who approved a run that waits for approvals, and how many more it needs. */
export function approvalLine(state: RunState): string | null {
  if (state.approval === null) return null;
  const { needed, by } = state.approval;
  const who = by.length > 0 ? `approved by ${by.map((b) => `@${b}`).join(", ")}` : "no approval yet";
  const missing = approvalsMissing(state);
  return missing > 0
    ? `**Approval:** ${who} (${by.length} of ${needed}); ${missing} more needed from people with write access (\`/autopack approve\`).`
    : `**Approval:** ${who} (${by.length} of ${needed}).`;
}

function nextStep(state: RunState): string {
  if (state.state === "DONE_SUCCESS")
    return Object.values(state.phases).some((p) => p.step === "skipped")
      ? "Nothing: every phase is merged or skipped."
      : "Nothing: every phase is merged.";
  if (state.state === "AWAITING_APPROVAL")
    return "Waiting for approval: nothing is built until people with write access comment `/autopack approve`.";
  if (isTerminal(state)) {
    const again = state.cancelled_by !== null ? "to resume it" : "to try the failed phases again";
    return `${state.reason ? forPlainLine(state.reason) : "The run stopped."} Comment \`/autopack retry\` ${again}.`;
  }
  const tier = state.plan.tiers[state.tier];
  if (!tier) return "Finishing the run.";
  const phases = phasesOfTier(state.plan, tier.tier_id).map((p) => state.phases[p.phase_id]);
  if (phases.some((p) => p?.step === "escalated"))
    return "A phase needs a person (see its row); comment `/autopack retry` when it should try again.";
  if (phases.every((p) => p?.step === "awaiting_merge" || p?.step === "merged")) {
    return `Review and merge the pull requests of tier ${tier.tier_id}; the next tier starts when they are merged.`;
  }
  return `Working on tier ${tier.tier_id} (${forPlainLine(tier.name)}).`;
}

export interface StatusView {
  state: RunState;
  config: RepoConfig;
  /** Models in use, for the cost estimate. */
  models: string[];
  now: Date;
  repoUrl: string;
  key: Buffer;
  /** Whether the app mirrors into an orchestrator (the Autopack API it was given is a real one). */
  mirroring: boolean;
  /** The comment and write the state block is bound to. */
  binding: BlockBinding;
}

/** The whole status comment: a table of tiers and phases, run totals, next step and the signed state. */
export function renderStatusComment({ state, config, models, now, repoUrl, key, mirroring, binding }: StatusView): string {
  const run = state.plan.run;
  const rows = state.plan.phases.map((phase) => {
    const rec = state.phases[phase.phase_id];
    const budget = phaseBudget(phase.task_category, config.budgets);
    const pr = rec?.pr ? `[#${rec.pr}](${repoUrl}/pull/${rec.pr})` : "–";
    const stateText = rec ? `${phaseStateOf(rec.step).toLowerCase()} · ${STEP_LABEL[rec.step]}` : "queued";
    const note = rec?.reason ? ` — ${forTableCell(rec.reason, 240)}` : "";
    return `| ${forTableCell(phase.tier_id)} | ${forTableCell(phase.phase_id)}: ${forTableCell(phase.name)} | ${stateText}${note} | ${attempts(rec, budget.builder_attempts)} | ${pr} | ${formatTokens(rec?.tokens ?? 0)} |`;
  });
  const cost = estimateCost(state.tokens, models, config);
  const mirror = !mirroring
    ? "off"
    : state.mirror.pending.length > 0
      ? `pending (${state.mirror.pending.length} call${state.mirror.pending.length === 1 ? "" : "s"} not yet accepted${state.mirror.last_error ? `: ${forPlainLine(state.mirror.last_error, 120)}` : ""})`
      : state.mirror.last_refusal
        ? `in sync, but the service refused a call, which was dropped (${forPlainLine(state.mirror.last_refusal, 160)})`
        : "in sync";
  return [
    STATUS_MARKER,
    `### Autopack run \`${state.run_id}\`: ${runHeadline(state)}`,
    "",
    `Started by @${state.started_by}. Plan: ${state.plan.tiers.length} tier${state.plan.tiers.length === 1 ? "" : "s"}, ${state.plan.phases.length} phase${state.plan.phases.length === 1 ? "" : "s"}${PLAN_FROM[state.plan_from]}.`,
    "",
    "| Tier | Phase | State | Attempts | PR | Tokens |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `**Tokens** ${formatTokens(state.tokens)} / ${formatTokens(run.token_cap)}${cost === null ? "" : ` (about $${cost.toFixed(2)})`} · **Working time** ${Math.round(state.work_minutes)} / ${run.max_duration_minutes} min (${minutesBetween(state.started_at, now)} min since the start) · **Mirror** ${mirror}`,
    "",
    `**Next:** ${nextStep(state)}`,
    "",
    ...(state.left_out.length > 0
      ? [`<sub>Cut from this run's record to fit this comment: ${state.left_out.map((w) => forPlainLine(w, 160)).join("; ")}.</sub>`, ""]
      : []),
    ...(approvalLine(state) === null ? [] : [approvalLine(state)!, ""]),
    ...renderPanel(state),
    "<sub>Commands (write access): `/autopack status`, `/autopack retry [PHASE…]`, `/autopack skip PHASE`, `/autopack approve`, `/autopack cancel`, `/autopack help`.</sub>",
    "",
    encodeStateBlock(state, key, binding),
  ].join("\n");
}
