import { afterEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

/** Who may start a run, which plan text a run builds, and what the app takes for its own. */

let w: World;
let h: Harness;

async function world(options: WorldOptions = {}) {
  w = await startWorld({ hold: true, ...options });
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

/** An issue with `body`, labelled by `sender`; the webhook is built (its payload holds the body as it is now) but not sent. */
function labelled(body: string, sender = "maintainer") {
  const issue = h.sim.addIssue(OWNER, REPO, { title: "Plan", body, user: "author" });
  h.sim.addLabels(OWNER, REPO, issue, ["autopack"]);
  const event = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender });
  return { issue, send: (delivery?: string) => h.send(event.name, event.payload, delivery) };
}

function runStatus(issue: number): string | undefined {
  return h.sim.comments(OWNER, REPO, issue).find((c) => c.body?.includes("Autopack run `gh-"))?.body;
}

describe("who may start a run", () => {
  it("decides on the permission level: a custom role built on write starts a run, one built on read does not", async () => {
    await world();
    h.sim.setCustomRole(OWNER, REPO, "releaser", "release-manager", "write");
    h.sim.setCustomRole(OWNER, REPO, "helper", "helper-with-a-writing-name", "triage");
    const started = labelled(yamlPlan({ T1: [["P1", "One"]] }), "releaser");
    await started.send();
    expect(runStatus(started.issue)).toBeDefined();
    const ignored = labelled(yamlPlan({ T1: [["P1", "One"]] }), "helper");
    await ignored.send();
    expect(runStatus(ignored.issue)).toBeUndefined();
  });
});

describe("globs from plans and configuration", () => {
  it("refuses a plan whose scope glob would backtrack, on its line and field, and starts nothing", async () => {
    const s = await world();
    const glob = "{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}{*a,*b}x";
    const body = yamlPlan({ T1: [["P1", "One", `scope: ["${glob}"]`]] });
    const line = body.split("\n").findIndex((l) => l.includes("scope:")) + 1;
    const { issue, send } = labelled(body);
    await send();
    const comment = s.botComments(issue).find((c) => c.body?.includes("could not read the plan"))?.body ?? "";
    expect(comment).toContain(`- line ${line}, \`tiers[0].phases[0].scope[0]\`: is a glob Autopack cannot use:`);
    expect(comment).toContain("expands to more than 32 globs");
    expect(s.labels(issue)).toContain("autopack:invalid");
    expect(runStatus(issue)).toBeUndefined();
  });

  it("refuses a configuration whose denied glob would backtrack, naming the key", async () => {
    const s = await world();
    h.sim.pushCommit(OWNER, REPO, "main", { ".github/autopack.yml": 'denied_paths: ["+(*a)x"]\n' }, "maintainer");
    const { issue, send } = labelled(yamlPlan({ T1: [["P1", "One"]] }));
    await send();
    const comment = s.botComments(issue).find((c) => c.body?.includes("autopack.yml"))?.body ?? "";
    expect(comment).toContain("`denied_paths.0`: is a glob Autopack cannot use: it uses an extglob");
    expect(runStatus(issue)).toBeUndefined();
  });
});
