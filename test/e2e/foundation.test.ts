import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stateKey, decodeStateBlock } from "../../src/supervisor/state-codec.js";
import { WEBHOOK_SECRET, type Harness } from "../support/harness.js";
import { OWNER, REPO } from "../support/scenario.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

const YAML_PLAN = [
  "We need a parser.",
  "",
  "```autopack",
  "token_cap: 2000000",
  "tiers:",
  "  - tier_id: T1",
  "    name: Parser",
  "    phases:",
  "      - phase_id: P1",
  "        name: Add the config parser",
  "        description: Parse config files.",
  "        task_category: feature_scaffolding",
  "        complexity: medium",
  '        scope: ["src/config/**"]',
  '        acceptance: ["rejects unknown keys"]',
  "      - phase_id: P2",
  "        name: Document the format",
  "        task_category: docs",
  "  - tier_id: T2",
  "    name: Wiring",
  "    phases:",
  "      - phase_id: P3",
  "        name: Use the parser",
  "```",
].join("\n");

const MARKDOWN_PLAN = [
  "## Tier T1: Parser",
  "### Phase P1: Add the config parser",
  "Parse config files.",
  "- scope: src/config/**",
  "- acceptance: rejects unknown keys",
].join("\n");

let w: World;
let h: Harness;

async function labelIssue(body: string, sender = "maintainer", label = "autopack"): Promise<number> {
  const issue = h.sim.addIssue(OWNER, REPO, { title: "Build the parser", body, user: "maintainer" });
  h.sim.addLabels(OWNER, REPO, issue, [label]);
  const event = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label, sender });
  expect(await h.send(event.name, event.payload)).toBe(200);
  return issue;
}

function botComments(issue: number) {
  return h.sim.comments(OWNER, REPO, issue).filter((c) => c.user?.login === h.sim.botLogin);
}

function setup(options: WorldOptions = {}) {
  beforeEach(async () => {
    w = await startWorld({ hold: true, people: { writer: "write", reader: "read", triager: "triage" }, ...options });
    h = w.h;
  });
  afterEach(() => w.close());
}

describe("a labelled issue with a plan", () => {
  setup();

  it("starts a run: one status comment with every phase queued, and the run mirrored", async () => {
    const issue = await labelIssue(YAML_PLAN);
    const comments = botComments(issue);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body ?? "";
    const repoId = h.sim.repository(OWNER, REPO).id;
    const runId = `gh-${repoId}-${issue}-1`;
    expect(body).toContain(`Autopack run \`${runId}\``);
    expect(body).toContain("| T1 | P1: Add the config parser |");
    expect(body).toContain("| T1 | P2: Document the format |");
    expect(body).toMatch(/\| T2 \| P3: Use the parser \| queued · queued \| 0\/3 \|/);
    expect(body).toContain("**Next:** Working on tier T1 (Parser).");
    expect(body).toContain("**Mirror** in sync");

    const decoded = decodeStateBlock(body, stateKey(WEBHOOK_SECRET), repoId, issue, comments[0]!.id);
    expect(decoded.ok && decoded.state.run_id).toBe(runId);

    const starts = h.api!.calls.filter((c) => c.path === "/runs/start");
    expect(starts).toHaveLength(1);
    expect(starts[0]!.body).toEqual({
      run: {
        run_id: runId,
        safety_profile: "normal",
        run_scope: "multi_tier",
        token_cap: 2_000_000,
        max_phases: 25,
        max_duration_minutes: 120,
      },
      tiers: [
        { tier_id: "T1", tier_index: 0, name: "Parser", description: "" },
        { tier_id: "T2", tier_index: 1, name: "Wiring", description: "" },
      ],
      phases: [
        {
          phase_id: "P1",
          phase_index: 0,
          tier_id: "T1",
          name: "Add the config parser",
          description: "Parse config files.",
          task_category: "feature_scaffolding",
          complexity: "medium",
        },
        // The plan gives no complexity: the service needs one (medium is its own default).
        {
          phase_id: "P2",
          phase_index: 1,
          tier_id: "T1",
          name: "Document the format",
          description: "",
          task_category: "docs",
          complexity: "medium",
        },
        { phase_id: "P3", phase_index: 2, tier_id: "T2", name: "Use the parser", description: "", complexity: "medium" },
      ],
    });
    expect(h.api!.runs.get(runId)).toBeDefined();
    // The phases of the first tier are handed to the Builder, the next tier waits.
    expect(h.held.map((j) => j.id).sort()).toEqual([`build:${runId}/P1/1`, `build:${runId}/P2/1`]);
  });

  it("reads the friendly Markdown form", async () => {
    const issue = await labelIssue(MARKDOWN_PLAN);
    const body = botComments(issue)[0]!.body ?? "";
    expect(body).toContain("| T1 | P1: Add the config parser |");
    expect(h.api!.calls.find((c) => c.path === "/runs/start")!.body).toMatchObject({
      phases: [{ phase_id: "P1", tier_id: "T1", description: "Parse config files." }],
    });
  });

  it("answers a redelivered webhook only once", async () => {
    const issue = h.sim.addIssue(OWNER, REPO, { title: "t", body: YAML_PLAN, user: "maintainer", labels: ["autopack"] });
    const event = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    await h.send(event.name, event.payload, "delivery-1");
    await h.send(event.name, event.payload, "delivery-1");
    // Even a second delivery with a new id starts nothing new: the run is already active.
    await h.send(event.name, event.payload, "delivery-2");
    expect(botComments(issue)).toHaveLength(1);
    expect(h.api!.calls.filter((c) => c.path === "/runs/start")).toHaveLength(1);
  });

  it("refuses an unreadable plan with a precise comment and autopack:invalid, then starts once fixed and relabelled", async () => {
    const bad = YAML_PLAN.replace("phase_id: P2", "phase_id: P1");
    const issue = await labelIssue(bad);
    const comments = botComments(issue);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("Autopack could not read the plan");
    expect(comments[0]!.body).toMatch(/line \d+/);
    expect(comments[0]!.body).toContain("P1");
    expect(h.sim.labels(OWNER, REPO, issue)).toContain("autopack:invalid");
    expect(h.api!.calls).toEqual([]);
    expect(h.held).toEqual([]);

    h.sim.editIssue(OWNER, REPO, issue, { body: YAML_PLAN });
    h.sim.removeLabel(OWNER, REPO, issue, "autopack");
    h.sim.addLabels(OWNER, REPO, issue, ["autopack"]);
    const again = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender: "maintainer" });
    await h.send(again.name, again.payload);
    expect(botComments(issue).some((c) => c.body?.includes("Autopack run `gh-"))).toBe(true);
    expect(h.sim.labels(OWNER, REPO, issue)).not.toContain("autopack:invalid");
    expect(h.api!.calls.filter((c) => c.path === "/runs/start")).toHaveLength(1);
  });

  it.each(["reader", "triager"])("does nothing when a %s adds the label", async (sender) => {
    const issue = await labelIssue(YAML_PLAN, sender);
    expect(botComments(issue)).toEqual([]);
    expect(h.api!.calls).toEqual([]);
    expect(h.sim.requests.filter((r) => r.method !== "GET" && !r.path.includes("access_tokens"))).toEqual([]);
  });

  it("does nothing when a bot adds the label, not even a request to GitHub", async () => {
    h.sim.addUser("helper-bot[bot]", "Bot");
    h.sim.setPermission(OWNER, REPO, "helper-bot[bot]", "admin");
    const before = h.sim.requests.length;
    const issue = await labelIssue(YAML_PLAN, "helper-bot[bot]");
    expect(botComments(issue)).toEqual([]);
    expect(h.sim.requests.length).toBe(before);
  });

  it("starts for a user with plain write access", async () => {
    const issue = await labelIssue(YAML_PLAN, "writer");
    expect(botComments(issue)).toHaveLength(1);
  });

  it("ignores other labels", async () => {
    const issue = await labelIssue(YAML_PLAN, "maintainer", "bug");
    expect(botComments(issue)).toEqual([]);
    expect(h.api!.calls).toEqual([]);
  });

  it("uses the label name from .github/autopack.yml", async () => {
    h.sim.pushCommit(OWNER, REPO, "main", { ".github/autopack.yml": "label: build-me\n" }, "maintainer");
    const ignored = await labelIssue(YAML_PLAN, "maintainer", "autopack");
    expect(botComments(ignored)).toEqual([]);
    const started = await labelIssue(YAML_PLAN, "maintainer", "build-me");
    expect(botComments(started)).toHaveLength(1);
  });

  it("reports an invalid .github/autopack.yml on the issue and starts nothing", async () => {
    h.sim.pushCommit(OWNER, REPO, "main", { ".github/autopack.yml": "max_parallel_phases: lots\nfavourite_colour: blue\n" }, "maintainer");
    const issue = await labelIssue(YAML_PLAN);
    const comments = botComments(issue);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("`.github/autopack.yml`");
    expect(comments[0]!.body).toContain("`max_parallel_phases`");
    expect(comments[0]!.body).toContain("favourite_colour");
    expect(comments[0]!.body).toContain("remove the label that starts Autopack and add it again");
    expect(h.sim.labels(OWNER, REPO, issue)).toContain("autopack:invalid");
    expect(h.api!.calls).toEqual([]);
  });
});

describe("with a .github/autopack.yml that is not YAML", () => {
  setup();

  it("says which file is broken, without internal URLs", async () => {
    h.sim.pushCommit(OWNER, REPO, "main", { ".github/autopack.yml": "label: [unclosed\n" }, "maintainer");
    const issue = await labelIssue(YAML_PLAN);
    const body = botComments(issue)[0]!.body ?? "";
    expect(body).toContain("`.github/autopack.yml`");
    expect(body).toContain("invalid YAML");
    expect(body).not.toMatch(/https?:\/\//);
  });
});

describe("with the Autopack API answering 500", () => {
  setup();

  it("still starts the run on GitHub and says the mirror is pending; the next turn catches up", async () => {
    // The client tries twice per turn: the first turn fails, the next one gets through.
    h.api!.fail({ path: /\/runs\/start/, status: 500, times: 2 });
    const issue = await labelIssue(YAML_PLAN);
    const body = botComments(issue)[0]!.body ?? "";
    expect(body).toContain("| T1 | P1: Add the config parser |");
    expect(body).toMatch(/\*\*Mirror\*\* pending \(1 call not yet accepted/);
    expect(h.api!.runs.size).toBe(0);

    // No event needed: the pending call is sent again on its own a moment later.
    await new Promise((r) => setTimeout(r, 250));
    await h.settle();
    expect(h.api!.runs.size).toBe(1);
    expect(botComments(issue).find((c) => c.body?.includes("Autopack run"))!.body).toContain("**Mirror** in sync");
  });
});

describe("with the Autopack API refusing a call for good", () => {
  setup();

  it("drops the call, goes on, and the status comment keeps saying what was refused", async () => {
    h.api!.fail({ path: /\/runs\/start/, status: 422, body: { detail: "no such profile" } });
    const issue = await labelIssue(YAML_PLAN);
    const body = botComments(issue).find((c) => c.body?.includes("Autopack run"))!.body ?? "";
    expect(body).toMatch(/\*\*Mirror\*\* in sync, but the service refused a call, which was dropped \(start refused: /);
    expect(h.api!.calls.filter((c) => c.path === "/runs/start")).toHaveLength(1);
  });
});

describe("with AUTOPACK_API_URL unset", () => {
  setup({ mirror: false });

  it("runs without mirroring and says so in the status comment", async () => {
    const issue = await labelIssue(YAML_PLAN);
    const body = botComments(issue)[0]!.body ?? "";
    expect(body).toContain("**Mirror** off");
    expect(h.held).toHaveLength(2);
  });
});
