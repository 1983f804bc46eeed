/**
 * Benchmarks: `npm run bench`. Results go to bench/results.json (and are printed). They measure what
 * matters to people running the app: how fast plans parse and runs are decided, how big a run's
 * state gets in its status comment (GitHub caps a comment at 65,536 characters), and how many GitHub
 * requests a phase costs (with throttling on in production, requests are what take time).
 */
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DEFAULT_REPO_CONFIG } from "../src/config/repo-config.js";
import { parsePlan } from "../src/plan/parse-plan.js";
import { decide } from "../src/supervisor/decide.js";
import { newRunState } from "../src/supervisor/start-run.js";
import { encodeStateBlock, stateKey } from "../src/supervisor/state-codec.js";
import { renderStatusComment } from "../src/supervisor/status-comment.js";
import { startHarness } from "../test/support/harness.js";
import { OWNER, REPO, scenario, yamlPlan } from "../test/support/scenario.js";
import { scriptAgents } from "../test/support/scripted-agents.js";

/** A status comment's block as the app binds it (a comment id and a revision of realistic size). */
const BINDING = { commentId: 2_345_678_901, rev: 42, writtenAt: new Date().toISOString() };

function time<T>(label: string, runs: number, fn: () => T): { label: string; runs: number; mean_ms: number; p95_ms: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / runs;
  return { label, runs, mean_ms: round(mean), p95_ms: round(samples[Math.floor(runs * 0.95)]!) };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function bigPlan(): string {
  const tiers: Record<string, [string, string, ...string[]][]> = {};
  for (let t = 1; t <= 5; t++) {
    tiers[`T${t}`] = Array.from({ length: 5 }, (_, p) => [
      `P${t}${p}`,
      `Phase ${t}.${p} with a descriptive name`,
      `description: ${"Implement the part of the feature that this phase owns. ".repeat(8)}`,
      'scope: ["src/feature/**", "test/feature/**"]',
      'acceptance: ["works", "is tested", "is documented"]',
      "task_category: feature_scaffolding",
    ]);
  }
  return yamlPlan(tiers);
}

async function requestsPerPhase() {
  const h = await startHarness();
  h.sim.addRepo({ owner: OWNER, name: REPO, files: { "README.md": "# widgets\n" } });
  h.sim.setPermission(OWNER, REPO, "maintainer", "maintain");
  const s = scenario(h);
  scriptAgents(h.llm, {
    builds: { P1: [{ summary: "Add a", edits: [{ path: "a.txt", action: "create", content: "a\n" }] }] },
    audits: { P1: [{ recommendation: "approve" }] },
  });
  const before = h.sim.requests.length;
  const issue = await s.label(yamlPlan({ T1: [["P1", "One"]] }));
  const toApproval = h.sim.requests.slice(before);
  await s.merge(issue, "P1");
  const all = h.sim.requests.slice(before);
  await h.close();
  const writes = (list: typeof all) => list.filter((r) => r.method !== "GET" && !r.path.includes("access_tokens")).length;
  return {
    label: "GitHub requests for a one-phase run (label -> build -> audit -> approved; then merged -> done)",
    to_approval: { total: toApproval.length, writes: writes(toApproval) },
    to_done: { total: all.length, writes: writes(all) },
  };
}

async function main() {
  const planText = bigPlan();
  const parsed = parsePlan(planText);
  if (!parsed.ok) throw new Error("benchmark plan does not parse");
  const plan = parsed.plan;
  const key = stateKey("bench");
  const state = newRunState({ plan, repoId: 1, issue: 1, n: 1, startedBy: "bench", now: new Date() });
  const started = decide({
    state,
    event: { type: "observe" },
    observations: { phases: {} },
    config: DEFAULT_REPO_CONFIG,
    now: new Date(),
  }).state;
  const comment = renderStatusComment({
    state: started,
    config: DEFAULT_REPO_CONFIG,
    models: [],
    now: new Date(),
    repoUrl: "https://github.com/o/r",
    key,
    mirroring: true,
    binding: BINDING,
  });
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    timings: [
      time("parsePlan: 25 phases, YAML form", 200, () => parsePlan(planText)),
      time("decide: start of a 25-phase run", 2000, () =>
        decide({ state, event: { type: "observe" }, observations: { phases: {} }, config: DEFAULT_REPO_CONFIG, now: new Date() }),
      ),
      time("encode the signed state block of a 25-phase run", 500, () => encodeStateBlock(started, key, BINDING)),
    ],
    sizes: {
      status_comment_chars_25_phases: comment.length,
      state_block_chars_25_phases: encodeStateBlock(started, key, BINDING).length,
      github_comment_limit: 65_536,
    },
    requests: await requestsPerPhase(),
  };
  writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

await main();
