import { expect } from "vitest";
import type { Harness } from "./harness.js";
import { purposeOf } from "./scripted-agents.js";

export const OWNER = "acme";
export const REPO = "widgets";

/** Small steps a person (or the repository's CI) takes in an end-to-end scenario. */
export function scenario(h: Harness) {
  const api = {
    /** Opens an issue with `body`, adds the label as `sender`, delivers the webhook and waits. */
    async label(body: string, sender = "maintainer"): Promise<number> {
      const issue = h.sim.addIssue(OWNER, REPO, { title: "Plan", body, user: sender, labels: ["autopack"] });
      const event = h.sim.events.issueLabeled({ owner: OWNER, repo: REPO, issue, label: "autopack", sender });
      await h.send(event.name, event.payload);
      return issue;
    },
    async comment(issue: number, body: string, user: string): Promise<number> {
      const id = h.sim.addComment(OWNER, REPO, issue, { body, user });
      const event = h.sim.events.issueCommentCreated({ owner: OWNER, repo: REPO, comment: id });
      await h.send(event.name, event.payload);
      return id;
    },
    pull(issue: number, phase: string) {
      const pr = h.sim.pulls(OWNER, REPO).find((p) => p.head.ref === `autopack/${issue}/${phase}`);
      expect(pr, `PR of ${phase}`).toBeDefined();
      return pr!;
    },
    async merge(issue: number, phase: string, by = "maintainer"): Promise<void> {
      const pr = api.pull(issue, phase);
      h.sim.mergePull(OWNER, REPO, pr.number, by, "squash");
      const event = h.sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: pr.number, sender: by });
      await h.send(event.name, event.payload);
    },
    async close(issue: number, phase: string, by = "maintainer"): Promise<void> {
      const pr = api.pull(issue, phase);
      h.sim.closePull(OWNER, REPO, pr.number, by);
      const event = h.sim.events.pullRequestClosed({ owner: OWNER, repo: REPO, pull: pr.number, sender: by });
      await h.send(event.name, event.payload);
    },
    /** The repository's CI reports on a commit, then GitHub sends check_suite.completed. */
    async ci(
      sha: string,
      conclusion: "success" | "failure",
      summary = "",
      annotations: { path: string; line: number; message: string }[] = [],
    ) {
      h.sim.addCheckRun(OWNER, REPO, sha, {
        name: "test",
        status: "completed",
        conclusion,
        output: {
          title: conclusion === "success" ? "All green" : "Tests failed",
          summary,
          annotations: annotations.map((a) => ({
            path: a.path,
            start_line: a.line,
            end_line: a.line,
            annotation_level: "failure",
            message: a.message,
          })),
        },
      });
      const event = h.sim.events.checkSuiteCompleted({ owner: OWNER, repo: REPO, sha });
      await h.send(event.name, event.payload);
    },
    status(issue: number): string {
      return h.sim.comments(OWNER, REPO, issue).find((c) => c.body?.includes("Autopack run `gh-"))?.body ?? "";
    },
    botComments(issue: number) {
      return h.sim.comments(OWNER, REPO, issue).filter((c) => c.user?.login === h.sim.botLogin);
    },
    labels(issue: number): string[] {
      return h.sim.labels(OWNER, REPO, issue);
    },
    /** Every prompt the fake model received for a phase's Builder edit step (by what the app said the request was for). */
    buildPrompts(phase: string): string[] {
      return h.llm.requests
        .filter((r) => {
          const purpose = purposeOf(r);
          return purpose?.role === "builder" && purpose.phaseId === phase && purpose.step === "edit";
        })
        .map((r) => r.prompt);
    },
  };
  return api;
}

/** A plan in the precise form, from a compact description: tiers of [phase id, name, extra YAML lines]. */
export function yamlPlan(tiers: Record<string, [string, string, ...string[]][]>, runOptions: string[] = []): string {
  const lines = ["```autopack", ...runOptions, "tiers:"];
  for (const [tier, phases] of Object.entries(tiers)) {
    lines.push(`  - tier_id: ${tier}`, `    name: Tier ${tier}`, "    phases:");
    for (const [id, name, ...extra] of phases)
      lines.push(`      - phase_id: ${id}`, `        name: ${name}`, ...extra.map((e) => `        ${e}`));
  }
  lines.push("```");
  return lines.join("\n");
}
