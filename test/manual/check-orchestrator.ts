/**
 * A hand check of the mirror against a real orchestrator (the Autopack API service), which CI does
 * not have: a two-tier, three-phase run over the GitHub simulator and a scripted model, mirrored into
 * the service at AUTOPACK_API_URL; then what the service says about the run.
 *
 *   npx tsx test/manual/check-orchestrator.ts --write-seed DIR   # the repository's files, to seed the service's working copy
 *   AUTOPACK_API_URL=http://127.0.0.1:PORT npx tsx test/manual/check-orchestrator.ts
 *
 * The service applies each builder_result's patch to its own working copy: start it on a copy of the
 * files `--write-seed` writes, or the patches cannot apply.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { startHarness } from "../support/harness.js";
import { OWNER, REPO, scenario, yamlPlan } from "../support/scenario.js";
import { scriptAgents } from "../support/scripted-agents.js";

const FILES: Record<string, string> = {
  "README.md": "# widgets\n\nA small library.\n",
  "src/widget.ts": "export function widget(name: string): string {\n  return `widget ${name}`;\n}\n",
};

async function main(): Promise<void> {
  const seedAt = process.argv.indexOf("--write-seed");
  if (seedAt >= 0) {
    const dir = process.argv[seedAt + 1]!;
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    console.log(`wrote ${Object.keys(FILES).length} files to ${dir}`);
    return;
  }
  const apiUrl = process.env["AUTOPACK_API_URL"];
  if (!apiUrl) throw new Error("set AUTOPACK_API_URL to the orchestrator to check");
  const h = await startHarness({ apiUrl });
  try {
    h.sim.addRepo({ owner: OWNER, name: REPO, files: FILES });
    h.sim.setPermission(OWNER, REPO, "maintainer", "maintain");
    const s = scenario(h);
    // P1 is revised once: its second build and audit.
    scriptAgents(h.llm, {
      builds: {
        P1: [
          {
            summary: "Add a size option",
            edits: [{ path: "src/size.ts", action: "create", content: "export const SIZES = [1, 2, 3];\n" }],
          },
          {
            summary: "Name the sizes",
            edits: [{ path: "src/size.ts", action: "update", replacements: [{ search: "SIZES", replace: "WIDGET_SIZES" }] }],
          },
        ],
        P2: [
          {
            summary: "Greet by name",
            edits: [
              {
                path: "src/widget.ts",
                action: "update",
                replacements: [{ search: "return `widget ${name}`;", replace: "return `widget: ${name}`;" }],
              },
            ],
          },
        ],
        P3: [{ summary: "Document sizes", edits: [{ path: "docs/sizes.md", action: "create", content: "# Sizes\n\n1, 2 or 3.\n" }] }],
      },
      audits: {
        P1: [
          {
            recommendation: "revise",
            findings: [{ path: "src/size.ts", line: 1, severity: "minor", category: "style", message: "name it" }],
          },
          { recommendation: "approve" },
        ],
        P2: [{ recommendation: "approve" }],
        P3: [{ recommendation: "approve" }],
      },
    });
    const issue = await s.label(
      yamlPlan({
        T1: [
          ["P1", "Sizes"],
          ["P2", "Greeting"],
        ],
        T2: [["P3", "Docs"]],
      }),
    );
    await s.merge(issue, "P1");
    await s.merge(issue, "P2");
    await h.settle();
    await s.merge(issue, "P3");
    await h.settle();
    const status = s.status(issue);
    const runId = /Autopack run `([^`]+)`/.exec(status)?.[1] ?? "?";
    console.log("status comment:\n" + status.split("\n").slice(0, 12).join("\n"));
    for (const path of [`/runs/${runId}`, `/runs/${runId}/integration_status`, `/reports/run_summary/${runId}`]) {
      const answer = await fetch(new URL(path, apiUrl));
      console.log(`\nGET ${path} -> ${answer.status}\n${await answer.text()}`);
    }
  } finally {
    await h.close();
  }
}

await main();
