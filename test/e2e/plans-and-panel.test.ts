import { afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { redisRevisions } from "../../src/queue/redis-revisions.js";
import type { Harness } from "../support/harness.js";
import { startRedis } from "../support/redis.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { purposeOf, scriptAgents, type BuildScript, type PlanAnswer } from "../support/scripted-agents.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

let w: World;
let h: Harness;

async function world(options: WorldOptions = {}) {
  w = await startWorld({ people: { reader: "read", writer2: "write" }, ...options });
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

const create = (path: string, content: string): BuildScript => ({ summary: `Add ${path}`, edits: [{ path, action: "create", content }] });
const approve = { recommendation: "approve" as const };

const TWO_PHASES: PlanAnswer = {
  summary: "Parser first, then its docs.",
  tiers: [
    {
      tier_id: "T1",
      name: "Parser",
      phases: [
        {
          phase_id: "P1",
          name: "Add the parser",
          description: "Parse config files.",
          task_category: "feature_scaffolding",
          complexity: "medium",
          scope: ["src/config/**"],
          acceptance: ["parses every example"],
        },
      ],
    },
    { tier_id: "T2", name: "Docs", phases: [{ phase_id: "P2", name: "Document the parser", task_category: "docs" }] },
  ],
};

/** A person edits a comment on GitHub, and GitHub says so (`changes.body.from`), as often as `times`. */
async function editComment(commentId: number, edit: (body: string) => string, sender: string, times = 1, at?: Date): Promise<void> {
  const before = h.sim.comment(OWNER, REPO, commentId)!.body ?? "";
  h.sim.editComment(OWNER, REPO, commentId, edit(before), at ? { at: at.toISOString() } : {});
  const event = h.sim.events.issueCommentEdited({
    owner: OWNER,
    repo: REPO,
    comment: commentId,
    sender,
    changes: { body: { from: before } },
  });
  for (let i = 0; i < times; i++) await h.send(event.name, event.payload);
}

function openIssue(body: string): number {
  return h.sim.addIssue(OWNER, REPO, { title: "Config files should be parsed", body, user: "maintainer" });
}

const planComment = (issue: number) => w.s.botComments(issue).find((c) => c.body?.includes("autopack:plan-proposal -->"));
const statusComment = (issue: number) => w.s.botComments(issue).find((c) => c.body?.includes("Autopack run `gh-"))!;
const tick = (label: string) => (body: string) => body.replace(`- [ ] ${label}`, `- [x] ${label}`);
const plannerRequests = () => h.llm.requests.filter((r) => purposeOf(r)?.runId.startsWith("plan-"));

describe("/autopack plan", () => {
  it("proposes a plan from the issue and the repository; a writer edits it, approves it, and the edited plan is what runs", async () => {
    const s = await world({
      files: {
        "README.md": "# widgets\nWidgets read config files.\n",
        "src/config/load.ts": "export function load() {}\n",
        ".env": "DATABASE_PASSWORD=hunter2\n",
      },
    });
    scriptAgents(h.llm, {
      plans: [{ files: ["src/config/load.ts", ".env"], plans: [TWO_PHASES] }],
      builds: { P1: [create("src/config/parse.ts", "export const parse = 1;\n")] },
      audits: { P1: [approve] },
    });
    const issue = openIssue("Config files should be parsed into typed objects, with docs.");
    const ask = await s.comment(issue, "/autopack plan", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, ask).map((r) => r.content)).toEqual(["eyes", "rocket"]);

    // The model saw the issue as data, the README and the file it asked for, never the secret-like one.
    const [files, proposal] = plannerRequests();
    expect(files!.prompt).toContain('<untrusted source="issue-body">');
    expect(files!.prompt).toContain("Widgets read config files.");
    expect(proposal!.prompt).toContain("export function load() {}");
    expect(proposal!.prompt).not.toContain("hunter2");

    const posted = planComment(issue);
    expect(posted?.body).toContain("```autopack");
    expect(posted?.body).toContain("phase_id: P1");
    expect(posted?.body).toContain("Parser first, then its docs.");
    expect(s.status(issue)).toBe("");

    // A writer edits the proposal: one tier, the phase renamed. Then approves it.
    await editComment(
      posted!.id,
      (b) => b.replace("name: Add the parser", "name: Add the strict parser").replace(/ {2}- tier_id: T2[\s\S]*?(?=\n`{3,})/, ""),
      "maintainer",
    );
    const approval = await s.comment(issue, "/autopack approve", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, approval).map((r) => r.content)).toEqual(["eyes", "rocket"]);
    expect(s.pull(issue, "P1").title).toBe("[Autopack P1] Add the strict parser");
    expect(s.status(issue)).toContain("P1: Add the strict parser");
    expect(s.status(issue)).toContain("Plan: 1 tier, 1 phase, Autopack's proposal as edited by a person with write access.");
    expect(s.status(issue)).not.toContain("Document the parser");

    // Editing the proposal after the run started changes nothing in it.
    await editComment(posted!.id, (b) => b.replace("Add the strict parser", "Something else entirely"), "maintainer");
    await s.comment(issue, "/autopack status", "maintainer");
    expect(s.status(issue)).toContain("P1: Add the strict parser");
    await s.merge(issue, "P1");
    expect(s.status(issue)).toContain(": ✅ Done");
  });

  it("adding the label to an issue with a proposal and no plan of its own starts the proposal", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      plans: [{ plans: [TWO_PHASES] }],
      builds: { P1: [create("p.ts", "p\n")] },
      audits: { P1: [approve] },
    });
    const issue = openIssue("Parse config files.");
    await s.comment(issue, "/autopack plan", "maintainer");
    h.sim.addLabels(OWNER, REPO, issue, ["autopack"], "maintainer");
    const event = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    await h.send(event.name, event.payload);
    expect(s.status(issue)).toContain("P1: Add the parser");
    expect(s.status(issue)).toContain("Plan: 2 tiers, 2 phases, as Autopack proposed it.");
    expect(s.pull(issue, "P1").title).toBe("[Autopack P1] Add the parser");
  });

  it("repairs a plan the parser refuses once, with the parser's problems", async () => {
    const s = await world();
    const duplicate: PlanAnswer = {
      tiers: [
        {
          tier_id: "T1",
          name: "One",
          phases: [
            { phase_id: "P1", name: "a" },
            { phase_id: "P1", name: "b" },
          ],
        },
      ],
    };
    scriptAgents(h.llm, { plans: [{ plans: [duplicate, TWO_PHASES] }] });
    const issue = openIssue("Parse config files.");
    await s.comment(issue, "/autopack plan", "maintainer");
    const repair = plannerRequests().find((r) => purposeOf(r)?.step === "repair");
    expect(repair?.prompt).toMatch(/P1.*(duplicate|more than once|unique)/i);
    expect(planComment(issue)?.body).toContain("name: Add the parser");
  });

  it("answers a plan refused twice with the precise problems, and posts no plan", async () => {
    const s = await world();
    const bad: PlanAnswer = { tiers: [{ tier_id: "T1", name: "One", phases: [{ phase_id: "P1", name: "a", scope: ["/etc/passwd"] }] }] };
    scriptAgents(h.llm, { plans: [{ plans: [bad, bad] }] });
    const issue = openIssue("Parse config files.");
    const ask = await s.comment(issue, "/autopack plan", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, ask).map((r) => r.content)).toEqual(["eyes", "confused"]);
    expect(planComment(issue)).toBeUndefined();
    const error = s.botComments(issue).find((c) => c.body?.includes("autopack:plan-proposal-error"));
    expect(error?.body).toContain("Autopack could not propose a valid plan");
    expect(error?.body).toMatch(/- line \d+, tiers.*phases.*scope.*: must be a path glob relative to the repository root/);
    expect(plannerRequests().map((r) => purposeOf(r)?.step)).toEqual(["files", "propose", "repair"]);
  });

  it("is refused for someone without write access, and for an issue that has a plan", async () => {
    const s = await world();
    scriptAgents(h.llm, {});
    const issue = openIssue("Parse config files.");
    await s.comment(issue, "/autopack plan", "reader");
    expect(s.botComments(issue).map((c) => c.body)).toEqual([
      expect.stringContaining("only people with write access to this repository can steer Autopack"),
    ]);
    const planned = openIssue(yamlPlan({ T1: [["P1", "One"]] }));
    const ask = await s.comment(planned, "/autopack plan", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, ask).map((r) => r.content)).toEqual(["eyes", "confused"]);
    expect(s.botComments(planned).at(-1)?.body).toContain("This issue already has a plan in its body");
    expect(h.llm.requests).toEqual([]);
  });
});

describe("the approval gate", () => {
  it("with `approvals: 2` waits for two different writers; the same writer twice counts once, a reader's approve is refused", async () => {
    const s = await world({ files: { ".github/autopack.yml": "require_plan_approval: true\napprovals: 2\n" } });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt", "a\n")] }, audits: { P1: [approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    expect(s.status(issue)).toContain("⏸ Waiting for approval");
    expect(s.status(issue)).toContain("no approval yet (0 of 2); 2 more needed");
    expect(h.llm.requests).toEqual([]);

    await s.comment(issue, "/autopack approve", "maintainer");
    expect(s.status(issue)).toContain("approved by @maintainer (1 of 2); 1 more needed");
    const again = await s.comment(issue, "/autopack approve", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, again).map((r) => r.content)).toEqual(["eyes", "confused"]);
    expect(s.botComments(issue).at(-1)?.body).toContain("@maintainer has already approved run");
    await s.comment(issue, "/autopack approve", "reader");
    expect(s.status(issue)).toContain("(1 of 2)");
    expect(h.llm.requests).toEqual([]);

    await s.comment(issue, "/autopack approve", "writer2");
    expect(s.status(issue)).toContain("approved by @maintainer, @writer2 (2 of 2)");
    expect(s.pull(issue, "P1").title).toBe("[Autopack P1] One");
  });

  it("`/autopack cancel` ends a run that waits for approval", async () => {
    const s = await world({ files: { ".github/autopack.yml": "require_plan_approval: true\n" } });
    scriptAgents(h.llm, {});
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    await s.comment(issue, "/autopack cancel", "maintainer");
    expect(s.status(issue)).toContain("⏹ Cancelled");
    expect(s.labels(issue)).toContain("autopack:failed");
    expect(h.sim.pulls(OWNER, REPO)).toEqual([]);
  });
});

describe("the control panel", () => {
  it("a writer's tick retries the phase once, however often the webhook comes, and the box is unticked again", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n"), create("a2.txt", "a\n")] },
      audits: { P1: [{ recommendation: "escalate" }, approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    expect(s.status(issue)).toContain("- [ ] retry `P1`");
    await editComment(statusComment(issue).id, tick("retry `P1`"), "maintainer", 2);
    expect(s.buildPrompts("P1")).toHaveLength(2);
    expect(s.status(issue)).toContain("approved, waiting for merge");
    expect(s.status(issue)).not.toContain("- [x]");
  });

  it("a writer's tick cancels the run once", async () => {
    const s = await world({ hold: true });
    scriptAgents(h.llm, {});
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    await editComment(statusComment(issue).id, tick("cancel the run"), "maintainer", 2);
    expect(s.status(issue)).toContain("⏹ Cancelled");
    expect(s.status(issue)).not.toContain("cancel the run");
    expect(s.botComments(issue).filter((c) => c.body?.includes("autopack:summary"))).toHaveLength(1);
  });

  it("a writer's tick hours after the app last wrote acts in a process that did not write it, when the processes share Redis", async () => {
    const redis = await startRedis();
    const client = new Redis({ path: redis.url, maxRetriesPerRequest: null });
    try {
      const s = await world({ hold: true, revisions: redisRevisions(client) });
      scriptAgents(h.llm, {});
      const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
      await h.restart(false);
      await editComment(statusComment(issue).id, tick("cancel the run"), "maintainer", 1, new Date(Date.now() + 3 * 60 * 60_000));
      expect(s.status(issue)).toContain("⏹ Cancelled");
    } finally {
      client.disconnect();
      await redis.close();
    }
  });

  it("a tick by someone without write access, or by a bot, is undone, with one note each", async () => {
    const s = await world({ hold: true });
    scriptAgents(h.llm, {});
    h.sim.addUser("helper-bot[bot]", "Bot");
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    await editComment(statusComment(issue).id, tick("cancel the run"), "reader");
    expect(s.status(issue)).toContain("- [ ] cancel the run");
    await editComment(statusComment(issue).id, tick("cancel the run"), "reader");
    await editComment(statusComment(issue).id, tick("skip `P1`"), "helper-bot[bot]");
    expect(s.status(issue)).toContain("- [ ] cancel the run");
    expect(s.status(issue)).toContain("- [ ] skip `P1`");
    expect(s.status(issue)).not.toContain("Cancelled");
    expect(s.status(issue)).toContain("P1: One | executing · building");
    const notes = s.botComments(issue).filter((c) => c.body?.includes("only people with write access can use Autopack's control panel"));
    expect(notes.map((c) => c.body?.match(/@\S+/)?.[0])).toEqual(["@reader,", "@helper-bot[bot],"]);
  });

  it("a writer's tick approves a run that waits for approval", async () => {
    const s = await world({ files: { ".github/autopack.yml": "require_plan_approval: true\n" } });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt", "a\n")] }, audits: { P1: [approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
    await editComment(statusComment(issue).id, tick("approve the run"), "writer2");
    expect(s.status(issue)).toContain("approved by @writer2 (1 of 1)");
    expect(s.pull(issue, "P1").title).toBe("[Autopack P1] One");
  });
});

describe("/autopack skip", () => {
  it("lets the tier and the run finish without the phase, its PR left open; the status, summary and mirror say so", async () => {
    const s = await world();
    scriptAgents(h.llm, {
      builds: { P1: [create("a.txt", "a\n")], P2: [create("b.txt", "b\n")], P3: [create("c.txt", "c\n")] },
      audits: { P1: [approve], P2: [{ recommendation: "escalate" }], P3: [approve] },
    });
    const issue = await s.label(
      yamlPlan({
        T1: [
          ["P1", "One"],
          ["P2", "Two"],
        ],
        T2: [["P3", "Three"]],
      }),
    );
    await s.merge(issue, "P1");
    expect(s.status(issue)).toContain("🙋 Needs a person");
    const callsBefore = h.api!.calls.length;

    const merged = await s.comment(issue, "/autopack skip P1", "maintainer");
    expect(h.sim.reactions(OWNER, REPO, merged).map((r) => r.content)).toEqual(["eyes", "confused"]);
    expect(s.botComments(issue).at(-1)?.body).toContain("Phase `P1` is already merged: there is nothing to skip.");
    await s.comment(issue, "/autopack skip P9", "maintainer");
    expect(s.botComments(issue).at(-1)?.body).toContain("This run has no phase `P9`");

    await editComment(statusComment(issue).id, tick("skip `P2`"), "maintainer", 2);
    await s.comment(issue, "/autopack retry P2", "maintainer");
    expect(s.botComments(issue).at(-1)?.body).toContain("`P2` was skipped, for good: a skipped phase is not built again.");
    expect(s.status(issue)).toMatch(
      /P2: Two \| skipped · skipped by a person — skipped by @\u200d?maintainer; its pull request is left as it is/u,
    );
    expect(s.pull(issue, "P2").state).toBe("open");
    await s.merge(issue, "P3");
    expect(s.status(issue)).toContain(": ✅ Done");
    expect(s.status(issue)).toContain("Nothing: every phase is merged or skipped.");
    const summary = s.botComments(issue).find((c) => c.body?.includes("autopack:summary"))?.body;
    expect(summary).toContain("finished: every phase is merged but P2, skipped.");
    expect(summary).toMatch(/\| P2 \| Two \| skipped \(its pull request left as it is\) \|/);
    expect(summary).toContain("Skipped phases were not sent to the orchestrator");
    // Nothing was sent about P2 after it was skipped; P3's outcomes were.
    const after = h.api!.calls.slice(callsBefore).map((c) => c.path);
    expect(after.filter((p) => p.includes("/phases/P2/"))).toEqual([]);
    expect(after.some((p) => p.includes("/phases/P3/auditor_result"))).toBe(true);
  });
});
