import { startHarness, type Harness, type HarnessOptions } from "../../test/support/harness.js";
import { OWNER, REPO, scenario, yamlPlan } from "../../test/support/scenario.js";
import { scriptAgents } from "../../test/support/scripted-agents.js";

export interface PhaseRunOptions {
  phases: number;
  /** The repository's files (default: a README). */
  files?: Record<string, string>;
  harness?: HarnessOptions;
  /** Called once the harness runs and before the label goes on (faults, latency). */
  before?: (h: Harness) => void;
}

/**
 * A run from the label to its last merge, one phase per tier (so each phase starts when the one before
 * it is merged): every phase built once, approved by the audit and merged by a person.
 */
export async function phaseRun(options: PhaseRunOptions, measure: (h: Harness, run: () => Promise<number>) => Promise<void>) {
  const h = await startHarness(options.harness);
  try {
    h.sim.addRepo({ owner: OWNER, name: REPO, files: options.files ?? { "README.md": "# widgets\n" } });
    h.sim.setPermission(OWNER, REPO, "maintainer", "maintain");
    const s = scenario(h);
    const ids = Array.from({ length: options.phases }, (_, i) => `P${i + 1}`);
    scriptAgents(h.llm, {
      builds: Object.fromEntries(
        ids.map((id) => [
          id,
          [{ summary: `Add ${id}`, edits: [{ path: `src/${id}.txt`, action: "create" as const, content: `${id}\n` }] }],
        ]),
      ),
      audits: Object.fromEntries(ids.map((id) => [id, [{ recommendation: "approve" as const }]])),
    });
    options.before?.(h);
    const plan = yamlPlan(Object.fromEntries(ids.map((id, i) => [`T${i + 1}`, [[id, `Phase ${id}`]]])));
    await measure(h, async () => {
      const issue = await s.label(plan);
      for (const id of ids) await s.merge(issue, id);
      if (!s.labels(issue).includes("autopack:done")) throw new Error(`the run did not finish: ${s.status(issue)}`);
      return issue;
    });
    h.sim.assertClean();
  } finally {
    await h.close();
  }
}
