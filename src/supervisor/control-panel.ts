import { ID_PATTERN } from "../plan/schema.js";
import { approvalsMissing, isTerminal, type RunState } from "./run-state.js";
import { allows, PHASE_TRANSITIONS, type PhaseStep } from "./transitions.js";

/**
 * The control panel of a status comment: GitHub task-list items a writer ticks instead of typing a
 * command (Renovate's Dependency Dashboard is the model). Each box carries a hidden, stable id; the
 * app always renders its boxes unticked, so a ticked box in the comment is a person's tick.
 */
export type PanelAction = { kind: "retry"; phaseId: string } | { kind: "skip"; phaseId: string } | { kind: "cancel" } | { kind: "approve" };

const ID_OF = (a: PanelAction) => ("phaseId" in a ? `${a.kind} ${a.phaseId}` : a.kind);
const marker = (a: PanelAction) => `<!-- autopack:panel ${ID_OF(a)} -->`;

/** A task-list item of the panel, ticked or not, with its hidden id. */
const ITEM = /^[ \t]{0,3}[-*+][ \t]+\[([ xX])\][^\n]*?<!-- autopack:panel (retry|skip|cancel|approve)(?: (\S+))? -->[ \t]*$/gm;

/** The panel's items for a run: retry and skip per phase where they would act, approve while it waits, cancel while it runs. */
export function panelActions(state: RunState): PanelAction[] {
  const out: PanelAction[] = [];
  if (state.state === "AWAITING_APPROVAL" && approvalsMissing(state) > 0) out.push({ kind: "approve" });
  for (const phase of state.plan.phases) {
    const step: PhaseStep | undefined = state.phases[phase.phase_id]?.step;
    if (step === undefined || state.state === "DONE_SUCCESS") continue;
    if (step !== "waiting" && allows(PHASE_TRANSITIONS, step, "waiting", "retried")) out.push({ kind: "retry", phaseId: phase.phase_id });
    if (allows(PHASE_TRANSITIONS, step, "skipped", "skipped")) out.push({ kind: "skip", phaseId: phase.phase_id });
  }
  if (!isTerminal(state)) out.push({ kind: "cancel" });
  return out;
}

function words(a: PanelAction): string {
  switch (a.kind) {
    case "retry":
      return `retry \`${a.phaseId}\``;
    case "skip":
      return `skip \`${a.phaseId}\` (its pull request is left as it is)`;
    case "cancel":
      return "cancel the run";
    case "approve":
      return "approve the run";
  }
}

/** The panel as Markdown lines (none when nothing can be done). */
export function renderPanel(state: RunState): string[] {
  const actions = panelActions(state);
  if (actions.length === 0) return [];
  return [
    "**Control panel** (people with write access; tick a box to act, as the command would):",
    "",
    ...actions.map((a) => `- [ ] ${words(a)} ${marker(a)}`),
    "",
  ];
}

/** The panel's boxes ticked in a comment's body, by their hidden ids. */
export function tickedActions(body: string): PanelAction[] {
  const out: PanelAction[] = [];
  for (const m of body.replace(/\r\n?/g, "\n").matchAll(ITEM)) {
    if (m[1] === " ") continue;
    const kind = m[2] as PanelAction["kind"];
    const phaseId = m[3];
    if (kind === "retry" || kind === "skip") {
      if (phaseId !== undefined && ID_PATTERN.test(phaseId)) out.push({ kind, phaseId });
    } else if (phaseId === undefined) out.push({ kind });
  }
  return out.filter((a, i) => out.findIndex((b) => ID_OF(b) === ID_OF(a)) === i);
}

/** The boxes ticked in `after` that were not ticked in `before` (the edit's own ticks). */
export function newlyTicked(before: string | null, after: string): PanelAction[] {
  const was = new Set(tickedActions(before ?? "").map(ID_OF));
  return tickedActions(after).filter((a) => !was.has(ID_OF(a)));
}

/** Whether the same box is ticked in `body`. */
export function isTicked(body: string, action: PanelAction): boolean {
  return tickedActions(body).some((a) => ID_OF(a) === ID_OF(action));
}

/** The action in words, for replies and logs. */
export function describeAction(a: PanelAction): string {
  return "phaseId" in a ? `${a.kind} ${a.phaseId}` : a.kind;
}
