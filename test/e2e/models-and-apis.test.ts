import { afterEach, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../support/fake-llm.js";
import type { Harness } from "../support/harness.js";
import { OWNER, REPO, yamlPlan } from "../support/scenario.js";
import { purposeOf, scriptAgents, type AgentScripts, type BuildScript } from "../support/scripted-agents.js";
import { startWorld, type World, type WorldOptions } from "../support/world.js";

let w: World;
let h: Harness;

async function world(options: WorldOptions) {
  w = await startWorld(options);
  h = w.h;
  return w.s;
}

afterEach(() => w.close());

const create = (path: string): BuildScript => ({ summary: `Add ${path}`, edits: [{ path, action: "create", content: `${path}\n` }] });
const approve = { recommendation: "approve" } as const;
/** Two tiers of one phase each: P2's audit comes after P1's, so a remembered choice shows. */
const TWO_TIERS = yamlPlan({ T1: [["P1", "One"]], T2: [["P2", "Two"]] });
const twoPhases: AgentScripts = { builds: { P1: [create("a.txt")], P2: [create("b.txt")] }, audits: { P1: [approve], P2: [approve] } };

const of = (role: "builder" | "auditor") => (r: RecordedRequest) => purposeOf(r)?.role === role;
/** `<path> <status>` of each request a role's model got, in order. */
const asked = (role: "builder" | "auditor") => h.llm.requests.filter(of(role)).map((r) => `${r.path.replace("/v1/", "")} ${r.status}`);

function auditCheck(issue: number, phase: string) {
  const head = w.s.pull(issue, phase).head.sha;
  return h.sim.checkRuns(OWNER, REPO, head).find((c) => c.name === "Autopack audit");
}

function auditorTokens(phase: string): number[] {
  return h
    .api!.calls.filter((c) => c.path.endsWith(`/phases/${phase}/auditor_result`))
    .map((c) => (c.body as { tokens_used: number }).tokens_used);
}

describe("models and APIs, end to end", () => {
  it("asks a Codex auditor model (auto) on /responses, and the phase is approved with its tokens counted", async () => {
    const s = await world({ modelEnv: { AUTOPACK_AUDITOR_MODEL: "gpt-5-codex" } });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt")] }, audits: { P1: [approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));

    expect(asked("auditor")).toEqual(["responses 200"]);
    expect(asked("builder")).toEqual(["chat/completions 200", "chat/completions 200"]);
    const audit = h.llm.requests.find(of("auditor"))!;
    expect(audit.model).toBe("gpt-5-codex");
    expect(audit.body).toMatchObject({ text: { format: { type: "json_schema", name: "autopack_audit", strict: true } } });
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
    expect(s.status(issue)).toContain("approved, waiting for merge");
    // The tokens the Responses API reported are the audit's tokens.
    expect(auditorTokens("P1")).toEqual([audit.usage!.total_tokens]);
  });

  it("keeps working with a server that has only Chat Completions: one 404 on /responses, then chat, remembered", async () => {
    const s = await world({
      modelEnv: { AUTOPACK_AUDITOR_MODEL: "gpt-5-codex" },
      fakeLlm: { apis: ["chat"], responsesOnly: () => false },
    });
    scriptAgents(h.llm, twoPhases);
    const issue = await s.label(TWO_TIERS);
    await s.merge(issue, "P1");

    expect(asked("auditor")).toEqual(["responses 404", "chat/completions 200", "chat/completions 200"]);
    expect(asked("builder").every((a) => a === "chat/completions 200")).toBe(true);
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
    expect(auditCheck(issue, "P2")?.conclusion).toBe("success");
  });

  it("moves a model Chat Completions refuses to /responses by itself, and the next audit goes straight there", async () => {
    // An Azure deployment of a Codex model, under a name that does not say so.
    const s = await world({
      modelEnv: { AUTOPACK_AUDITOR_MODEL: "team-coder" },
      fakeLlm: { responsesOnly: (model) => model === "team-coder" },
    });
    scriptAgents(h.llm, twoPhases);
    const issue = await s.label(TWO_TIERS);
    await s.merge(issue, "P1");

    expect(asked("auditor")).toEqual(["chat/completions 404", "responses 200", "responses 200"]);
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
    expect(auditCheck(issue, "P2")?.conclusion).toBe("success");
  });

  it("asks the Builder on /responses when its API is forced, with its reasoning effort, and builds the PR", async () => {
    const s = await world({ modelEnv: { AUTOPACK_BUILDER_API: "responses", AUTOPACK_BUILDER_REASONING_EFFORT: "medium" } });
    scriptAgents(h.llm, {
      builds: { P1: [{ ...create("a.txt"), files: ["README.md"] }] },
      audits: { P1: [approve] },
    });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));

    expect(asked("builder")).toEqual(["responses 200", "responses 200"]);
    expect(asked("auditor")).toEqual(["chat/completions 200"]);
    for (const r of h.llm.requests.filter(of("builder"))) expect(r.body).toMatchObject({ reasoning: { effort: "medium" } });
    expect(h.sim.treeFiles(OWNER, REPO, `autopack/${issue}/P1`)["a.txt"]).toBe("a.txt\n");
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
  });

  it("keeps a Codex-named model on Chat Completions when chat is forced, with the output-limit parameter set", async () => {
    // A proxy that serves the model on Chat Completions.
    const s = await world({
      modelEnv: {
        AUTOPACK_AUDITOR_MODEL: "gpt-5-codex",
        AUTOPACK_AUDITOR_API: "chat",
        AUTOPACK_AUDITOR_OUTPUT_LIMIT_PARAM: "max_completion_tokens",
      },
      fakeLlm: { responsesOnly: () => false },
    });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt")] }, audits: { P1: [approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));

    expect(asked("auditor")).toEqual(["chat/completions 200"]);
    const audit = h.llm.requests.find(of("auditor"))!;
    expect(audit.body.max_completion_tokens).toEqual(expect.any(Number));
    expect(audit.body.max_tokens).toBeUndefined();
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
  });

  it("gives an answer that is not JSON on /responses the one repair round, and counts both calls' tokens", async () => {
    const s = await world({ modelEnv: { AUTOPACK_AUDITOR_MODEL: "gpt-5-codex" } });
    scriptAgents(h.llm, { builds: { P1: [create("a.txt")] }, audits: { P1: [{ raw: "Looks good to me!" }, approve] } });
    const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));

    expect(asked("auditor")).toEqual(["responses 200", "responses 200"]);
    const [first, repair] = h.llm.requests.filter(of("auditor"));
    expect(repair!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(repair!.messages[2]!.content).toBe("Looks good to me!");
    expect(repair!.messages[3]!.content).toContain("not valid JSON");
    expect(auditCheck(issue, "P1")?.conclusion).toBe("success");
    expect(auditorTokens("P1")).toEqual([first!.usage!.total_tokens + repair!.usage!.total_tokens]);
  });
});
