import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { purposeOf, schemaNameOf, scriptAgents } from "../support/scripted-agents.js";
import { startWorld, type World } from "../support/world.js";

let w: World;
let h: Harness;

afterEach(() => w.close());

/** Every edit-plan request of P1's Builder (the first answer and any repair of it). */
const editRequests = () =>
  h.llm.requests.filter(
    (r) => purposeOf(r)?.role === "builder" && purposeOf(r)?.phaseId === "P1" && schemaNameOf(r) === "autopack_edit_plan",
  );

describe("edit plans that are sloppy", () => {
  it("takes a sloppy answer whose meaning is clear in one round, and says what it set aside", async () => {
    w = await startWorld({ files: { "src/old.ts": "export const old = 1;\n", "src/index.ts": "export {};\n" } });
    h = w.h;
    scriptAgents(h.llm, {
      builds: {
        P1: [
          {
            summary: "Add new, rewrite index, drop old",
            edits: [],
            // Fills what it was told to leave null, leaves out what it was told to set null, capitalises.
            editsAsSent: [
              { path: "src/new.ts", action: "create", content: "export const n = 1;\n", replacements: [] },
              { path: "src/index.ts", action: "update", content: 'export { n } from "./new.js";\n' },
              { path: "src/old.ts", action: "Delete", content: "export const old = 1;\n", replacements: null },
            ],
          },
        ],
      },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    const issue = await w.s.label(yamlPlan({ T1: [["P1", "One"]] }));

    expect(editRequests()).toHaveLength(1);
    expect(editRequests().map((r) => purposeOf(r)?.step)).toEqual(["edit"]);
    const tree = h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P1`);
    expect(tree["src/new.ts"]).toBe("export const n = 1;\n");
    expect(tree["src/index.ts"]).toBe('export { n } from "./new.js";\n');
    expect(tree["src/old.ts"]).toBeUndefined();
    const result = h.api!.calls.find((c) => c.path.endsWith("/P1/builder_result"))!.body as { status: string; notes: string };
    expect(result.status).toBe("success");
    expect(result.notes).toContain("Edits taken as meant:");
    expect(result.notes).toContain('- edit 1 (create src/new.ts): took "content" and set aside the empty "replacements" list');
    expect(result.notes).toContain(
      '- edit 3 (delete src/old.ts): read the action "Delete" as "delete"; set aside the "content" given with a delete',
    );
    expect(w.s.status(issue)).toContain("approved, waiting for merge");
  });

  it("gives an answer whose meaning is not clear the repair round, with the precise problem", async () => {
    w = await startWorld({ files: { "src/index.ts": "export {};\n" } });
    h = w.h;
    scriptAgents(h.llm, {
      builds: {
        P1: [
          // An update with neither content nor replacements: what should change?
          { summary: "Export n", edits: [{ path: "src/index.ts", action: "update" }] },
          {
            summary: "Export n",
            edits: [{ path: "src/index.ts", action: "update", replacements: [{ search: "export {};", replace: "export const n = 1;" }] }],
          },
        ],
      },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    const issue = await w.s.label(yamlPlan({ T1: [["P1", "One"]] }));

    const [first, repair] = editRequests();
    expect(editRequests()).toHaveLength(2);
    expect(first!.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(repair!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(repair!.messages[3]!.content).toContain('- at $.edits[0]: an "update" needs "replacements"');
    expect(repair!.messages[3]!.content).toContain("this one has neither");
    expect(h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P1`)["src/index.ts"]).toBe("export const n = 1;\n");
    expect(w.s.status(issue)).toContain("approved, waiting for merge");
  });
});
