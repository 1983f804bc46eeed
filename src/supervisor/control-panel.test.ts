import { describe, expect, it } from "vitest";
import { parsePlan } from "../plan/parse-plan.js";
import { newlyTicked, panelActions, renderPanel, tickedActions } from "./control-panel.js";
import { newRunState } from "./start-run.js";

const parsed = parsePlan("## Tier T1: One\n### Phase P1: a\n### Phase P2: b\n");
if (!parsed.ok) throw new Error("the test's plan does not parse");
const plan = parsed.plan;
const run = () => newRunState({ plan, repoId: 1, issue: 9, n: 1, startedBy: "alice", now: new Date(0) });

describe("the control panel", () => {
  it("offers what would act: retry of an escalated phase, skip of an unfinished one, cancel of a running run", () => {
    const state = run();
    state.state = "PHASE_EXECUTION";
    state.phases["P1"]!.step = "escalated";
    state.phases["P2"]!.step = "merged";
    expect(panelActions(state)).toEqual([{ kind: "retry", phaseId: "P1" }, { kind: "skip", phaseId: "P1" }, { kind: "cancel" }]);
    state.state = "DONE_SUCCESS";
    expect(renderPanel(state)).toEqual([]);
  });

  it("offers approve while a run waits for approvals", () => {
    const state = run();
    state.state = "AWAITING_APPROVAL";
    state.approval = { needed: 2, by: ["alice"] };
    expect(panelActions(state)[0]).toEqual({ kind: "approve" });
  });

  it("reads only its own boxes, ticked, by their hidden ids", () => {
    const state = run();
    state.state = "PHASE_EXECUTION";
    state.phases["P1"]!.step = "escalated";
    const rendered = renderPanel(state).join("\n");
    expect(tickedActions(rendered)).toEqual([]);
    const ticked = rendered.replace("- [ ] retry", "- [x] retry").replace("- [ ] cancel", "- [X] cancel");
    expect(tickedActions(ticked)).toEqual([{ kind: "retry", phaseId: "P1" }, { kind: "cancel" }]);
    // Boxes without the app's id, and ids in the wrong shape, are not the panel's.
    expect(tickedActions("- [x] retry P1\n- [x] x <!-- autopack:panel retry ../x -->\n- [x] y <!-- autopack:panel cancel P1 -->")).toEqual(
      [],
    );
    expect(newlyTicked(ticked.replace("- [X] cancel", "- [ ] cancel"), ticked)).toEqual([{ kind: "cancel" }]);
  });
});
