/**
 * The Supervisor's own costs, as the first benchmarks measured them: parsing a 25-phase plan,
 * deciding its start, and the size of its signed state in the status comment (GitHub keeps at most
 * 65,536 characters in a comment).
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { parsePlan } from "../../src/plan/parse-plan.js";
import { decide } from "../../src/supervisor/decide.js";
import { newRunState } from "../../src/supervisor/start-run.js";
import { encodeStateBlock, stateKey } from "../../src/supervisor/state-codec.js";
import { renderStatusComment } from "../../src/supervisor/status-comment.js";
import { yamlPlan } from "../../test/support/scenario.js";
import type { BenchRow } from "./row.js";

/** A status comment's block as the app binds it (a comment id and a revision of realistic size). */
const BINDING = { commentId: 2_345_678_901, rev: 42, writtenAt: new Date().toISOString() };
const COMMENT_LIMIT = 65_536;

function time(runs: number, fn: () => unknown): { mean: number; p95: number } {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { mean: samples.reduce((a, b) => a + b, 0) / runs, p95: samples[Math.floor(runs * 0.95)]! };
}

const ms = (t: { mean: number; p95: number }) => `${t.mean.toFixed(3)} ms mean, ${t.p95.toFixed(3)} ms p95`;

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

export default async function core(): Promise<BenchRow[]> {
  const planText = bigPlan();
  const parsed = parsePlan(planText);
  if (!parsed.ok) throw new Error("the benchmark's plan does not parse");
  const key = stateKey("bench");
  const state = newRunState({ plan: parsed.plan, repoId: 1, issue: 1, n: 1, startedBy: "bench", now: new Date() });
  const observe = () =>
    decide({ state, event: { type: "observe" }, observations: { phases: {} }, config: DEFAULT_REPO_CONFIG, now: new Date() });
  const started = observe().state;
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
  const block = encodeStateBlock(started, key, BINDING).length;
  return [
    {
      figure: "parse a 25-phase plan (YAML form)",
      baseline: "—",
      target: "—",
      measured: ms(time(200, () => parsePlan(planText))),
      met: null,
    },
    {
      figure: "decide the start of a 25-phase run",
      baseline: "—",
      target: "—",
      measured: ms(time(2000, observe)),
      met: null,
    },
    {
      figure: "encode the signed state block of a 25-phase run",
      baseline: "—",
      target: "—",
      measured: ms(time(500, () => encodeStateBlock(started, key, BINDING))),
      met: null,
    },
    {
      figure: "status comment of a 25-phase run, at its start",
      baseline: `GitHub's comment limit, ${COMMENT_LIMIT.toLocaleString("en")} characters`,
      target: "within the limit",
      measured: `${comment.length.toLocaleString("en")} characters (state block ${block.toLocaleString("en")})`,
      met: comment.length <= COMMENT_LIMIT,
    },
  ];
}
