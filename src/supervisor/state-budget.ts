import {
  cutText,
  withoutProbeText,
  withoutStoredPatch,
  withShortDescriptions,
  withShortReview,
  type MirrorCall,
} from "../autopack-api/calls.js";
import type { PhaseRecord, RunState } from "./run-state.js";

/** GitHub refuses a comment body over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** What the status comment may take: the limit, less room for the note that says what was cut. */
export const STATUS_BUDGET = MAX_COMMENT_CHARS - 1_500;
/** Notes kept in `left_out`, newest last. */
const MAX_NOTES = 5;

/**
 * One way to make the run's record smaller, in the order they are tried: `apply` makes one cut in
 * place and says what it cut, or returns null when it has nothing left to cut.
 */
interface Cut {
  apply(state: RunState): string | null;
}

/** Mirror calls waiting in the record, oldest first: the ones phases hold back, then the pending ones. */
function storedCalls(state: RunState): { list: MirrorCall[]; index: number }[] {
  const held = Object.values(state.phases).flatMap((rec) => rec.held.map((_, index) => ({ list: rec.held, index })));
  return [...held, ...state.mirror.pending.map((_, index) => ({ list: state.mirror.pending, index }))];
}

/** A cut that reshapes the first stored call it changes. */
function callCut(what: string, reshape: (call: MirrorCall) => MirrorCall): Cut {
  return {
    apply(state) {
      for (const { list, index } of storedCalls(state)) {
        const call = list[index]!;
        const next = reshape(call);
        if (next === call) continue;
        list[index] = next;
        return `${what} (${call.op}${"phaseId" in call ? ` of ${call.phaseId}` : ""})`;
      }
      return null;
    },
  };
}

/** A cut of the longest text of the phases that `pick` finds there, down to `max` characters. */
function phaseTextCut(what: string, field: "feedback" | "reason", max: number): Cut {
  return {
    apply(state) {
      const [id, rec] = Object.entries(state.phases)
        .filter(([, r]) => (r[field]?.length ?? 0) > max)
        .sort(([, a], [, b]) => (b[field]?.length ?? 0) - (a[field]?.length ?? 0))[0] ?? [null, null];
      if (id === null || rec === null) return null;
      rec[field] = cutText(rec[field]!, max);
      return `${what} of ${id} cut to ${max} characters`;
    },
  };
}

function findingsCut(messageMax: number, keep: number): Cut {
  const fits = (rec: PhaseRecord) => rec.findings.length <= keep && rec.findings.every((f) => f.message.length <= messageMax);
  return {
    apply(state) {
      const found = Object.entries(state.phases).find(([, rec]) => !fits(rec));
      if (!found) return null;
      const [id, rec] = found;
      rec.findings = rec.findings.slice(-keep).map((f) => ({ ...f, message: cutText(f.message, messageMax) }));
      return `the Auditor's findings of ${id}, cut`;
    },
  };
}

function planCut(descriptionMax: number, acceptanceMax: number, acceptanceKept = Infinity): Cut {
  return {
    apply(state) {
      const phase = state.plan.phases.find(
        (p) =>
          p.description.length > descriptionMax ||
          p.acceptance.length > acceptanceKept ||
          p.acceptance.some((a) => a.length > acceptanceMax),
      );
      if (!phase) return null;
      phase.description = cutText(phase.description, descriptionMax);
      phase.acceptance = phase.acceptance.slice(0, acceptanceKept).map((a) => cutText(a, acceptanceMax));
      return `the plan's text of ${phase.phase_id}, cut`;
    },
  };
}

/** From what costs the run least to lose (a patch the pull request shows anyway) to what costs it most. */
const CUTS: readonly Cut[] = [
  callCut("a mirrored patch", (c) => (c.op === "builder_result" ? withoutStoredPatch(c) : c)),
  callCut("mirrored check output", (c) => (c.op === "builder_result" ? withoutProbeText(c) : c)),
  callCut("a mirrored review", (c) => (c.op === "auditor_result" ? withShortReview(c, 2_000) : c)),
  phaseTextCut("the Builder's feedback", "feedback", 4_000),
  callCut("mirrored check results", (c) =>
    c.op === "builder_result" && (c.body.probe_results ?? []).length > 0
      ? { ...c, body: { ...c.body, probe_results: [], notes: `${c.body.notes ?? ""}\n(check results left out to fit the run's record)` } }
      : c,
  ),
  callCut("the mirrored plan's descriptions", (c) => (c.op === "start" ? withShortDescriptions(c, 500) : c)),
  phaseTextCut("the Builder's feedback", "feedback", 500),
  findingsCut(200, 10),
  phaseTextCut("the reason", "reason", 240),
  planCut(2_000, 300),
  callCut("the mirrored plan's descriptions", (c) => (c.op === "start" ? withShortDescriptions(c, 0) : c)),
  planCut(200, 100, 5),
];

/**
 * The status comment for `state`, within GitHub's limit. A record that has outgrown its comment (the
 * checks of a commit, failures, the plan twice while the orchestrator is down) is cut step by step,
 * least useful first, until its comment fits; what was cut is kept in `left_out` (the comment says
 * it) and the cut record is the one stored, so status, cancel and every later turn keep working.
 */
export function fitStatus(state: RunState, render: (state: RunState) => string, budget = STATUS_BUDGET): { state: RunState; body: string } {
  let body = render(state);
  if (body.length <= budget) return { state, body };
  const cut = structuredClone(state);
  const said: string[] = [];
  for (const step of CUTS) {
    while (body.length > budget) {
      const what = step.apply(cut);
      if (what === null) break;
      said.push(what);
      body = render(cut);
    }
    if (body.length <= budget) break;
  }
  cut.left_out = [...cut.left_out, ...summarise(said)].slice(-MAX_NOTES);
  return { state: cut, body: render(cut) };
}

/** What was cut, one line per kind ("a mirrored patch (builder_result of P1) ×3"), at most `MAX_NOTES`. */
function summarise(said: string[]): string[] {
  const counts = new Map<string, number>();
  for (const what of said) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].map(([what, n]) => (n > 1 ? `${what} ×${n}` : what)).slice(-MAX_NOTES);
}
